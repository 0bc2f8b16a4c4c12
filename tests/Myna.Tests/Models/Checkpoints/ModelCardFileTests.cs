using Myna.Models.Checkpoints;

namespace Myna.Tests.Models.Checkpoints;

public sealed class ModelCardFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("myna-card-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void AddsAnEvaluationsSectionThenReplacesTheSameMetricAndDataKeepingTheRest()
    {
        string card = Path.Combine(_directory, ModelCardFile.FileName);
        File.WriteAllText(card, "# Model card\n\nIntro text.\n\n## Limitations\n\n- small\n");
        var day1 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        ModelCardFile.RecordEvaluation(_directory, "perplexity", "heldout", 12.5, "4096 tokens", day1);
        ModelCardFile.RecordEvaluation(_directory, "BLEU", "qa.jsonl", 3.25, "nrefs:1|tok:13a", day1);
        ModelCardFile.RecordEvaluation(_directory, "perplexity", "heldout", 11.75, "4096 tokens", day1.AddDays(1));

        string text = File.ReadAllText(card);
        Assert.Contains("Intro text.", text);
        Assert.Contains("## Limitations", text);
        Assert.Single(text.Split('\n'), l => l.StartsWith("| perplexity | heldout |"));
        Assert.Contains("| perplexity | heldout | 11.75 | 4096 tokens | 2026-11-02 |", text);
        Assert.Contains("| BLEU | qa.jsonl | 3.25 | nrefs:1\\|tok:13a | 2026-11-01 |", text);
    }
}
