using System.Text.Json;
using Myna.Cli;
using Myna.Generation;
using Myna.Tests.Cli;
using Myna.Tests.Text;
using Myna.Text.Tokenization;

namespace Myna.Tests.Training;

/// <summary>The README's pipeline on the committed sample corpus: prepare → tokenizer train → shard → train → generate, then fine-tuning.</summary>
public class EndToEndTests
{
    private static readonly string SampleCorpus =
        Path.GetFullPath(Path.Combine(TempFolder.Committed(""), "..", "..", "data", "samples", "grammar", "corpus.jsonl"));

    // A one-block, 32-wide model on 16-token windows (its context, as nothing else is asked): the pipeline, not the model, is under test.
    private static readonly string[] MicroModel =
        ["--n-layer", "1", "--n-head", "2", "--n-embd", "32", "--seq-len", "16", "--batch-size", "4", "--eval-batches", "2"];

    [Fact]
    public void SampleCorpusTrainsThroughTheWholePipelineAndFineTunes()
    {
        using var dir = new TempFolder();
        string P(string name) => Path.Combine(dir.Path, name);
        Ok(CliRun.Of("prepare", "--input", SampleCorpus, "--out", P("clean")));
        Ok(CliRun.Of("tokenizer", "train", "--input", P("clean"), "--vocab-size", "300", "--out", P("tok")));
        Ok(CliRun.Of("shard", "--input", P("clean"), "--tokenizer", P("tok"), "--out", P("shards"), "--val-fraction", "0.05"));
        // As the walkthrough: --warmup given, the context left to the sequence length.
        CliRun train = Ok(CliRun.Of(["train", "--data", P("shards"), "--out", P("run"), "--max-steps", "40", "--warmup", "4", "--eval-interval", "20", "--lr", "3e-3", .. MicroModel, "--json"]));

        using var json = JsonDocument.Parse(train.Output);
        Assert.Equal(40, json.RootElement.GetProperty("step").GetInt32());
        Assert.True(json.RootElement.GetProperty("val_loss").GetDouble() < Math.Log(300));
        string checkpoint = json.RootElement.GetProperty("checkpoint").GetString()!;
        var model = GptLanguageModel.FromPretrained(checkpoint);
        Assert.NotNull(model.Tokenizer);
        Assert.Equal(GptTokenizer.FromDirectory(P("tok")).Fingerprint, model.Tokenizer!.Fingerprint);
        Assert.NotEmpty(model.GenerateText("The cat", new GenerationOptions { MaxNewTokens = 4 })[0].NewIds);
        foreach (string file in new[] { "loss.png", "report.md", "metrics.jsonl", "best/model_card.md", "last/model_card.md", "last/trainer_state.json", "last/optimizer.safetensors" })
            Assert.True(File.Exists(Path.Combine(P("run"), file)), file);

        Assert.Equal(16, model.Config.ContextLength);

        // The walkthrough's fine-tune (--init-from best --lr 3e-4 --max-steps N, nothing else about the schedule or
        // the windows) trains the model's whole context, leaves warm-up early and improves the validation loss
        // it measured before its first step.
        string best = Path.Combine(P("run"), "best");
        CliRun tune = Ok(CliRun.Of(["train", "--data", P("shards"), "--out", P("tuned"), "--init-from", best, "--lr", "3e-4", "--max-steps", "30",
            "--batch-size", "4", "--eval-batches", "2", "--eval-interval", "10", "--json"]));
        var tuned = Myna.Training.TrainingOptions.FromJson(File.ReadAllText(Path.Combine(P("tuned"), "options.json")));
        Assert.Equal((16, 3), (tuned.SequenceLength, tuned.WarmupSteps));
        List<(int Step, double Loss)> val = TrainingFixtures.ValLosses(P("tuned"));
        Assert.Equal(0, val[0].Step);
        Assert.Equal(30, val[^1].Step);
        Assert.True(val[^1].Loss < val[0].Loss, $"the fine-tune's validation loss went from {val[0].Loss:F4} to {val[^1].Loss:F4}");

        // Fine-tuning keeps the model's tokenizer ...
        Assert.Equal(File.ReadAllText(Path.Combine(checkpoint, "tokenizer.json")), File.ReadAllText(Path.Combine(P("tuned"), "last", "tokenizer.json")));
        Assert.Contains("Fine-tuned from", File.ReadAllText(Path.Combine(P("tuned"), "last", "model_card.md")));
        Ok(CliRun.Of("train", "--out", P("tuned"), "--resume", "--max-steps", "31", "--json")); // a fine-tune resumes from its own checkpoint
        Assert.Equal(MynaApp.UsageError, CliRun.Of("train", "--out", P("tuned"), "--resume", "--init-from", checkpoint).ExitCode);

        // ... and refuses shards made with another tokenizer, naming both.
        Ok(CliRun.Of("tokenizer", "train", "--input", P("clean"), "--vocab-size", "280", "--out", P("tok2")));
        Ok(CliRun.Of("shard", "--input", P("clean"), "--tokenizer", P("tok2"), "--out", P("shards2"), "--val-fraction", "0.05"));
        CliRun refused = CliRun.Of("train", "--data", P("shards2"), "--out", P("tuned2"), "--init-from", checkpoint, "--seq-len", "16");
        Assert.Equal(MynaApp.Failure, refused.ExitCode);
        Assert.Contains(GptTokenizer.FromDirectory(P("tok2")).Fingerprint[..16], refused.Error);
        Assert.Contains(GptTokenizer.FromDirectory(P("tok")).Fingerprint[..16], refused.Error);
        Assert.False(Directory.Exists(P("tuned2")));
    }

    [Fact]
    public void PlainOutputHasOneLinePerLogAndNamesTheArtifacts()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"), trainTokens: 3_000);
        CliRun run = Ok(CliRun.Of(["train", "--data", data.Directory, "--out", Path.Combine(dir.Path, "run"), "--max-steps", "4",
            "--log-interval", "2", "--eval-interval", "2", .. MicroModel]));
        string[] lines = run.Output.Trim().Split('\n');
        Assert.Contains(lines, l => l.StartsWith("step 2/4 | loss ", StringComparison.Ordinal) && l.Contains("tok/s") && l.Contains("eta") && l.Contains("lr "));
        Assert.Contains(lines, l => l.StartsWith("step 4/4 | val loss ", StringComparison.Ordinal));
        Assert.StartsWith("step 0/4 | val loss ", lines[0], StringComparison.Ordinal); // where the run started
        Assert.Contains(lines, l => l.StartsWith("completed at step 4", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("loss.png") && l.Contains("report.md"));
        Assert.DoesNotContain('\u001b', run.Output); // no terminal escapes when output is not a terminal
    }

    private static CliRun Ok(CliRun run)
    {
        Assert.True(run.ExitCode == MynaApp.Success, $"exit {run.ExitCode}: {run.Error}\n{run.Output}");
        return run;
    }
}
