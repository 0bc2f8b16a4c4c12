using System.Text.Json;
using Myna.Evaluation.Perplexity;
using Myna.Models.Perplexity;
using Myna.Generation;
using Myna.Tests.Generation;

namespace Myna.Tests.Cli;

public sealed class EvalPplCommandTests(TinyModelDirectory model) : IClassFixture<TinyModelDirectory>, IDisposable
{
    private readonly string _text = Path.GetTempFileName();

    public void Dispose() => File.Delete(_text);

    [Fact]
    public void JsonReportsThePerplexityTheLibraryComputes()
    {
        File.WriteAllText(_text, "In the beginning God created the heaven and the earth. And the earth was without form, and void.");
        CliRun run = CliRun.Of("eval", "ppl", "--model", model.Path, "--data", _text, "--stride", "16", "--window", "32", "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Output);

        var lm = GptLanguageModel.FromPretrained(model.Path);
        int[] tokens = lm.Tokenizer!.Encode(File.ReadAllText(_text));
        PerplexityResult expected = PerplexityEvaluator.Evaluate(lm, tokens, 16, 32);
        Assert.Equal(expected.Perplexity, json.RootElement.GetProperty("perplexity").GetDouble(), 6);
        Assert.Equal(tokens.Length - 1, json.RootElement.GetProperty("tokens").GetInt64());
        // Byte-level tokens: every scored token is one byte of this ASCII text.
        Assert.Equal(tokens.Length - 1, json.RootElement.GetProperty("bytes").GetInt64());
        Assert.True(json.RootElement.GetProperty("bits_per_byte").GetDouble() > 0);
    }

    [Fact]
    public void DtypeSelectsThePrecisionAndIsReported()
    {
        File.WriteAllText(_text, "And the earth was without form, and void; and darkness was upon the face of the deep.");
        double Perplexity(string dtype)
        {
            CliRun run = CliRun.Of("eval", "ppl", "--model", model.Path, "--data", _text, "--dtype", dtype, "--json");
            Assert.True(run.ExitCode == 0, run.Error);
            using JsonDocument json = JsonDocument.Parse(run.Output);
            Assert.Equal(dtype, json.RootElement.GetProperty("dtype").GetString());
            return json.RootElement.GetProperty("perplexity").GetDouble();
        }
        double f32 = Perplexity("f32");
        Assert.InRange(Perplexity("int8") / f32, 0.9, 1.1);
        Assert.Equal(2, CliRun.Of("eval", "ppl", "--model", model.Path, "--data", _text, "--dtype", "q4").ExitCode);
    }

    [Fact]
    public void MissingDataIsAnInputError()
    {
        CliRun run = CliRun.Of("eval", "ppl", "--model", model.Path, "--data", "/no/such/file.txt");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/no/such/file.txt", run.Error);
    }
}
