using Myna.Models.Checkpoints;

namespace Myna.Tests.Models.Checkpoints;

public sealed class ModelCardTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("myna-card-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void RecordingAddsAnEvaluationsSectionThenReplacesTheSameMetricAndDataKeepingTheRest()
    {
        File.WriteAllText(Path.Combine(_directory, ModelCard.FileName), "# Model card\n\nIntro text.\n\n## Limitations\n\n- small\n");
        var day1 = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(ModelDirectory.TryRecordEvaluations(_directory, [new("perplexity", "heldout", 12.5, "4096 tokens"), new("BLEU", "qa.jsonl", 3.25, "nrefs:1|tok:13a")], day1));
        Assert.Null(ModelDirectory.TryRecordEvaluations(_directory, [new("perplexity", "heldout", 11.75, "4096 tokens")], day1.AddDays(1)));

        string text = File.ReadAllText(Path.Combine(_directory, ModelCard.FileName));
        Assert.Contains("Intro text.", text);
        Assert.Contains("## Limitations", text);
        Assert.Single(text.Split('\n'), l => l.StartsWith("| perplexity | heldout |"));
        Assert.Contains("| perplexity | heldout | 11.75 | 4096 tokens | 2026-11-02 |", text);
        Assert.Contains("| BLEU | qa.jsonl | 3.25 | nrefs:1\\|tok:13a | 2026-11-01 |", text);
        // The Hub's copy is the same document, with the metrics named in its metadata.
        Assert.Equal(text, File.ReadAllText(Path.Combine(_directory, ModelCard.HubFileName)));
        Assert.StartsWith("---\n", text);
        Assert.Equal(["perplexity", "bleu"], ModelCard.Parse(text).MetadataList("metrics"));
    }

    [Fact]
    public void ACardRoundTripsThroughMarkdownWithItsMetadataSectionsAndCodeBlocks()
    {
        var card = new ModelCard { Title = "tiny", Summary = "A test model." };
        card.AddHubDefaults();
        card.AddMetadataItem("language", "en");
        card.AddMetadataItem("language", "zh");
        card.SetSection("Data", "text\n\n```\n## not a heading inside code\n```");
        card.SetSection("Limitations", "- small");
        card.SetSection("Training", "AdamW", before: "Limitations");

        ModelCard read = ModelCard.Parse(card.ToMarkdown());
        Assert.Equal("tiny", read.Title);
        Assert.Equal("A test model.", read.Summary);
        Assert.Equal(["Data", "Training", "Limitations"], read.Headings);
        Assert.Contains("## not a heading inside code", read.Section("Data"));
        Assert.Equal(["en", "zh"], read.MetadataList("language"));
        Assert.Equal("other", read.MetadataList("license").Single());
        Assert.Equal(card.ToMarkdown(), read.ToMarkdown());
    }

    [Fact]
    public void AHandWrittenCardWithoutMetadataKeepsItsTextAndGainsOnlyWhatIsRecorded()
    {
        const string original = "# Myna default model\n\nShipped model.\n\n## Facts\n\n- shape: 6 layers\n";
        File.WriteAllText(Path.Combine(_directory, ModelCard.FileName), original);
        ModelCard card = ModelDirectory.LoadCard(_directory);
        Assert.Equal(original, card.ToMarkdown());
    }

    [Fact]
    public void BrokenFrontMatterIsNamedAndAnEvaluationStillStands()
    {
        File.WriteAllText(Path.Combine(_directory, ModelCard.FileName), "---\nlicense: [unclosed\n---\n# x\n");
        var error = Assert.Throws<InvalidDataException>(() => ModelDirectory.LoadCard(_directory));
        Assert.Contains(ModelCard.FileName, error.Message);
        Assert.Contains("YAML", ModelDirectory.TryRecordEvaluations(_directory, [new("perplexity", "x", 1, "")], DateTimeOffset.UtcNow));
    }
}
