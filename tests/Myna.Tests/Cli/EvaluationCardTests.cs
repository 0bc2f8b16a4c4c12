using System.Security.Cryptography;
using Myna.Models.Checkpoints;
using Myna.Tests.Generation;

namespace Myna.Tests.Cli;

/// <summary>Evaluating reads a model folder and writes into it only with --update-card, and never fails because it could not.</summary>
public sealed class EvaluationCardTests : IDisposable
{
    private readonly TinyModelDirectory _model = TinyModelDirectory.Create(tiedEmbeddings: true);
    private readonly string _text = Path.GetTempFileName();

    public EvaluationCardTests() => File.WriteAllText(_text, "In the beginning God created the heaven and the earth. And the earth was without form.");

    public void Dispose()
    {
        _model.Dispose();
        File.Delete(_text);
    }

    private Dictionary<string, string> Snapshot() => Directory.GetFileSystemEntries(_model.Path, "*", SearchOption.AllDirectories)
        .ToDictionary(p => p, p => File.Exists(p) ? Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(p))) : "dir");

    [Fact]
    public void WithoutTheFlagTheModelFolderIsLeftExactlyAsItWas()
    {
        Dictionary<string, string> before = Snapshot();
        CliRun run = CliRun.Of("eval", "ppl", "--model", _model.Path, "--data", _text, "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public void WithTheFlagTheResultIsRecordedInTheCard()
    {
        CliRun run = CliRun.Of("eval", "ppl", "--model", _model.Path, "--data", _text, "--json", "--update-card");
        Assert.Equal(0, run.ExitCode);
        string card = File.ReadAllText(Path.Combine(_model.Path, ModelCard.FileName));
        Assert.Contains("## Evaluations", card);
        Assert.Contains("| perplexity (f32) |", card);
    }

    [Fact]
    public void ACardThatCannotBeWrittenLeavesTheScoreAndAWarning()
    {
        // A folder where the card's file should be: no write can replace it, as on a read-only model folder.
        Directory.CreateDirectory(Path.Combine(_model.Path, ModelCard.FileName));
        CliRun run = CliRun.Of("eval", "ppl", "--model", _model.Path, "--data", _text, "--json", "--update-card");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("\"perplexity\"", run.Output);
        Assert.StartsWith("warning: the result stands", run.Error);
    }
}
