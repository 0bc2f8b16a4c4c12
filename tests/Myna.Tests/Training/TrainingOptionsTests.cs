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
        { Valid with { BatchSize = 0 }, "--batch-size" },
        { Valid with { SequenceLength = 1 }, "--seq-len" },
        { Valid with { SequenceLength = 300, ContextLength = 256 }, "exceeds the model's context length 256" },
        { Valid with { GradientAccumulationSteps = 0 }, "--grad-accum" },
        { Valid with { LearningRate = 0 }, "--lr must be positive" },
        { Valid with { LearningRate = double.NaN }, "--lr must be positive" },
        { Valid with { MinLearningRate = 1e-2 }, "--min-lr" },
        { Valid with { WarmupSteps = -1 }, "--warmup" },
        { Valid with { WarmupSteps = 100, DecaySteps = 50 }, "--decay-steps (50) must be greater than --warmup (100)" },
        { Valid with { WeightDecay = -0.1 }, "--weight-decay" },
        { Valid with { Dropout = 1 }, "--dropout must be in [0, 1)" },
        { Valid with { Dropout = double.NaN }, "--dropout must be in [0, 1)" },
        { Valid with { Beta1 = 1 }, "--beta1 must be in [0, 1)" },
        { Valid with { Beta2 = -0.5 }, "--beta2" },
        { Valid with { Epsilon = 0 }, "--eps" },
        { Valid with { GradClip = -1 }, "--grad-clip" },
        { Valid with { MaxSteps = 0 }, "--max-steps" },
        { Valid with { MaxTokens = 0 }, "--max-tokens" },
        { Valid with { EvalInterval = -1 }, "--eval-interval" },
        { Valid with { EvalBatches = 0 }, "--eval-batches" },
        { Valid with { CheckpointInterval = -5 }, "--checkpoint-interval" },
        { Valid with { EarlyStoppingPatience = 3, EvalInterval = 0 }, "--patience needs periodic validation" },
        { Valid with { LogInterval = 0 }, "--log-interval" },
        { Valid with { Threads = -1 }, "--threads" },
        { Valid with { Heads = 5 }, "multiple of HeadCount" },
        { Valid with { InitFrom = "m", Layers = 2 }, "the model directory fixes the shape" },
        { Valid with { DataOrder = (DataOrder)7 }, "--data-order" },
        { Valid with { WarmupSteps = 1000 }, "--warmup 1000 must be below the run's 1000 steps" },
        { Valid with { MaxSteps = 50, WarmupSteps = 80 }, "default for 50 steps: 5" },
        { Valid with { BatchSize = 2, SequenceLength = 10, MaxTokens = 100, WarmupSteps = 5 }, "below the run's 5 steps" },
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
    public void ConfigFileKeysAreTheFlagNamesAndOldSnakeCaseKeysStillRead()
    {
        using var dir = new TempFolder();
        TrainingOptions read = Valid.WithConfigFile(dir.Write("c.json", """{"batch-size": 3, "lr": 0.001, "data-order": "sequential", "decay-steps": 500, "n-layer": 3}"""));
        TrainingOptions expected = Valid with { BatchSize = 3, LearningRate = 0.001, DataOrder = DataOrder.Sequential, DecaySteps = 500, Layers = 3 };
        Assert.Equal(expected, read);
        Assert.Equal(read, TrainingOptions.FromJson(read.ToJson()));
        Assert.Contains("\"n-layer\": 3", read.ToJson());

        // Files written before the keys were the flag names (config files, trainer_state.json of older runs).
        Assert.Equal(expected, Valid.WithConfigFile(dir.Write("old.json", """{"batch_size": 3, "learning_rate": 0.001, "data_order": "sequential", "decay_steps": 500, "layers": 3}""")));
        var twice = Assert.Throws<TrainingOptionsException>(() => Valid.WithConfigFile(dir.Write("twice.json", """{"lr": 0.1, "learning_rate": 0.2}""")));
        Assert.Contains("'lr' and 'learning_rate' both set 'lr'", twice.Message);
    }

    [Fact]
    public void UnknownConfigKeysNameTheNearestAndListTheValidOnes()
    {
        using var dir = new TempFolder();
        var typo = Assert.Throws<TrainingOptionsException>(() => Valid.WithConfigFile(dir.Write("bad.json", """{"batch-sise": 3}""")));
        Assert.Contains("unknown key 'batch-sise'; did you mean 'batch-size'?", typo.Message);
        Assert.Contains(string.Join(", ", TrainingOptions.Keys), typo.Message);
        Assert.True(typo.IsUsage);
        // A mistyped old key points at the new name.
        Assert.Contains("did you mean 'lr'?", Assert.Throws<TrainingOptionsException>(() => Valid.WithConfigFile(dir.Write("old.json", """{"learning_rat": 3}"""))).Message);
        Assert.DoesNotContain("did you mean", Assert.Throws<TrainingOptionsException>(() => Valid.WithConfigFile(dir.Write("far.json", """{"colour": 3}"""))).Message);

        var type = Assert.Throws<TrainingOptionsException>(() => Valid.WithConfigFile(dir.Write("type.json", """{"batch-size": "eight"}""")));
        Assert.Equal($"config file '{Path.Combine(dir.Path, "type.json")}': 'batch-size' must be a whole number; it is \"eight\".", type.Message);
        Assert.Contains("one of \"random\", \"sequential\"", Assert.Throws<TrainingOptionsException>(() => Valid.WithConfigFile(dir.Write("enum.json", """{"data-order": "shuffled"}"""))).Message);
        Assert.Throws<TrainingOptionsException>(() => Valid.WithConfigFile(dir.Write("notjson.json", "{")));
        Assert.Throws<TrainingOptionsException>(() => Valid.WithConfigFile(Path.Combine(dir.Path, "missing.json")));
    }

    [Fact]
    public void EveryConfigKeyIsATrainFlag()
    {
        var flags = new Myna.Cli.Commands.Train.TrainFlags();
        Assert.Equal(TrainingOptions.Keys.Select(k => "--" + k).Order(), flags.All.Select(o => o.Name).Order());
    }

    [Fact]
    public void DerivedDefaultsFollowTheRun()
    {
        // From scratch: the context is the sequence length, the warm-up a tenth of the run up to 100 steps.
        TrainingOptions scratch = (Valid with { SequenceLength = 64, MaxSteps = 300 }).Resolve();
        Assert.Equal((64, 64, 30), (scratch.SequenceLength, scratch.ContextLength, scratch.WarmupSteps));
        Assert.Equal(64, (Valid with { SequenceLength = 64 }).ModelConfig(10).ContextLength);
        Assert.Equal(100, Valid.Resolve().WarmupSteps);
        Assert.Equal(256, Valid.Resolve().SequenceLength);
        Assert.Equal(128, (Valid with { SequenceLength = 64, ContextLength = 128 }).Resolve().ContextLength);
        // A fine-tune trains the model's whole context and leaves warm-up early.
        TrainingOptions tune = (Valid with { InitFrom = "m", MaxSteps = 100 }).Resolve(pretrainedContextLength: 64);
        Assert.Equal((64, (int?)null, 10), (tune.SequenceLength, tune.ContextLength, tune.WarmupSteps));
        Assert.Equal(7, (Valid with { WarmupSteps = 7 }).Resolve().WarmupSteps);
    }

    [Fact]
    public void CliFlagsOverrideTheConfigFileAndBadCombinationsFailBeforeAnyWork()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"), trainTokens: 3_000);
        string config = dir.Write("c.json", $$"""{"data": {{System.Text.Json.JsonSerializer.Serialize(data.Directory)}}, "n-layer": 1, "n-head": 2, "n-embd": 16, "n-ctx": 16, "batch-size": 2, "seq-len": 8, "max-steps": 50, "eval-interval": 0, "checkpoint-interval": 0}""");
        string run = Path.Combine(dir.Path, "run");

        CliRun ok = CliRun.Of("train", "--config", config, "--out", run, "--max-steps", "3", "--json");
        Assert.True(ok.ExitCode == MynaApp.Success, ok.Error);
        using (var json = System.Text.Json.JsonDocument.Parse(ok.Output))
        {
            Assert.Equal(["step", "train_loss", "val_loss", "val_ppl", "heldout_ppl", "heldout", "tokens_per_s", "checkpoint"], json.RootElement.EnumerateObject().Select(p => p.Name));
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
