using Myna.Cli;
using Myna.Tests.Cli;
using Myna.Tests.Text;
using Myna.Training;

namespace Myna.Tests.Training;

public class TrainingOptionsTests
{
    private static TrainingOptions Valid => new() { Data = "d", Out = "o" };

    public static TheoryData<TrainingOptions, string> Invalid => new()
    {
        { Valid with { Data = null }, "--data" },
        { Valid with { Out = " " }, "--out" },
        { Valid with { Preset = "huge" }, "unknown preset 'huge'" },
        { Valid with { BatchSize = 0 }, "batch_size" },
        { Valid with { SequenceLength = 1 }, "sequence_length" },
        { Valid with { SequenceLength = 300 }, "exceeds the model's context length 256" },
        { Valid with { GradientAccumulationSteps = 0 }, "gradient_accumulation_steps" },
        { Valid with { LearningRate = 0 }, "learning_rate must be positive" },
        { Valid with { LearningRate = double.NaN }, "learning_rate must be positive" },
        { Valid with { MinLearningRate = 1e-2 }, "min_learning_rate" },
        { Valid with { WarmupSteps = -1 }, "warmup_steps" },
        { Valid with { WarmupSteps = 100, DecaySteps = 50 }, "decay_steps (50) must be greater than warmup_steps (100)" },
        { Valid with { WeightDecay = -0.1 }, "weight_decay" },
        { Valid with { Beta1 = 1 }, "beta1 must be in [0, 1)" },
        { Valid with { Beta2 = -0.5 }, "beta2" },
        { Valid with { Epsilon = 0 }, "epsilon" },
        { Valid with { GradClip = -1 }, "grad_clip" },
        { Valid with { MaxSteps = 0 }, "max_steps" },
        { Valid with { MaxTokens = 0 }, "max_tokens" },
        { Valid with { EvalInterval = -1 }, "eval_interval" },
        { Valid with { EvalBatches = 0 }, "eval_batches" },
        { Valid with { CheckpointInterval = -5 }, "checkpoint_interval" },
        { Valid with { EarlyStoppingPatience = 3, EvalInterval = 0 }, "early_stopping_patience needs periodic validation" },
        { Valid with { LogInterval = 0 }, "log_interval" },
        { Valid with { Threads = -1 }, "threads" },
        { Valid with { Heads = 5 }, "multiple of HeadCount" },
        { Valid with { InitFrom = "m", Layers = 2 }, "the model directory fixes the shape" },
        { Valid with { DataOrder = (DataOrder)7 }, "data_order" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void InvalidValuesAndCombinationsAreRefusedWithTheReason(TrainingOptions options, string reason)
    {
        var ex = Assert.Throws<TrainingOptionsException>(options.Validate);
        Assert.Contains(reason, ex.Message);
        Assert.True(ex.IsUsage);
    }

    [Fact]
    public void DefaultsAreValidAndMaxTokensSetsTheStepCount()
    {
        Valid.Validate();
        Assert.Equal(1000, Valid.TotalSteps);
        Assert.Equal(3, (Valid with { BatchSize = 2, SequenceLength = 10, MaxTokens = 41 }).TotalSteps); // ⌈41 / 20⌉
    }

    [Fact]
    public void ConfigFileOverlaysTheOptionsAndRefusesUnknownKeys()
    {
        using var dir = new TempFolder();
        TrainingOptions read = Valid.WithConfigFile(dir.Write("c.json", """{"batch_size": 3, "learning_rate": 0.001, "data_order": "sequential", "decay_steps": 500}"""));
        Assert.Equal(Valid with { BatchSize = 3, LearningRate = 0.001, DataOrder = DataOrder.Sequential, DecaySteps = 500 }, read);
        Assert.Equal(read, TrainingOptions.FromJson(read.ToJson()));

        var ex = Assert.Throws<TrainingOptionsException>(() => Valid.WithConfigFile(dir.Write("bad.json", """{"batch_sise": 3}""")));
        Assert.Contains("batch_sise", ex.Message);
        Assert.Throws<TrainingOptionsException>(() => Valid.WithConfigFile(dir.Write("notjson.json", "{")));
        Assert.Throws<TrainingOptionsException>(() => Valid.WithConfigFile(Path.Combine(dir.Path, "missing.json")));
    }

    [Fact]
    public void CliFlagsOverrideTheConfigFileAndBadCombinationsFailBeforeAnyWork()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"), trainTokens: 3_000);
        string config = dir.Write("c.json", $$"""{"data": {{System.Text.Json.JsonSerializer.Serialize(data.Directory)}}, "layers": 1, "heads": 2, "embedding_size": 16, "context_length": 16, "batch_size": 2, "sequence_length": 8, "max_steps": 50, "eval_interval": 0, "checkpoint_interval": 0}""");
        string run = Path.Combine(dir.Path, "run");

        CliRun ok = CliRun.Of("train", "--config", config, "--out", run, "--max-steps", "3", "--json");
        Assert.True(ok.ExitCode == MynaApp.Success, ok.Error);
        using (var json = System.Text.Json.JsonDocument.Parse(ok.Output))
        {
            Assert.Equal(["step", "train_loss", "val_loss", "val_ppl", "tokens_per_s", "checkpoint"], json.RootElement.EnumerateObject().Select(p => p.Name));
            Assert.Equal(3, json.RootElement.GetProperty("step").GetInt32()); // the flag beat the file's 50
            Assert.Equal(Path.Combine(run, "last"), json.RootElement.GetProperty("checkpoint").GetString());
        }
        Assert.Single(ok.Output.Trim().Split('\n'));

        CliRun both = CliRun.Of("train", "--config", config, "--out", run, "--max-steps", "3", "--max-tokens", "100");
        Assert.Equal(MynaApp.UsageError, both.ExitCode);
        Assert.Contains("give one of them", both.Error);

        string fresh = Path.Combine(dir.Path, "fresh");
        CliRun bad = CliRun.Of("train", "--config", config, "--out", fresh, "--seq-len", "64");
        Assert.Equal(MynaApp.UsageError, bad.ExitCode);
        Assert.Contains("exceeds the model's context length 16", bad.Error);
        Assert.False(Directory.Exists(fresh));

        CliRun noData = CliRun.Of("train", "--data", Path.Combine(dir.Path, "nowhere"), "--out", fresh);
        Assert.Equal(MynaApp.Failure, noData.ExitCode);
        Assert.Contains("meta.json", noData.Error);
    }
}
