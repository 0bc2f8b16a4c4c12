using System.CommandLine;
using System.Reflection;
using System.Text.Json;
using Myna.Cli.Commands.Train;
using Myna.Models;
using Myna.Models.Checkpoints;
using Myna.Tensors;
using Myna.Tests.Text;
using Myna.Training;

namespace Myna.Tests.Training;

/// <summary>
/// STYLE's rule for option records: every <see cref="TrainingOptions"/> property reaches the code that uses it. Each
/// row changes one option and the run must come out differently (losses, schedule, log, checkpoints, shape, stop
/// reason, or a refusal naming it); and every option has a `myna train` flag that sets it and nothing else.
/// </summary>
public class OptionsReachTheCodeTests
{
    private static readonly string[] Properties = typeof(TrainingOptions)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(p => p.SetMethod is not null)
        .Select(p => p.Name)
        .ToArray();

    [Fact]
    public void EveryOptionChangesTheRun()
    {
        using var dir = new TempFolder();
        SyntheticShards data = SyntheticShards.Create(Path.Combine(dir.Path, "shards"), trainTokens: 8_000, valTokens: 1_000);
        SyntheticShards other = SyntheticShards.Create(Path.Combine(dir.Path, "other"), trainTokens: 8_000, valTokens: 1_000, seed: 8);
        string initFrom = Path.Combine(dir.Path, "init");
        var initModel = new GptModel(new GptConfig { VocabSize = 32, ContextLength = 32, EmbeddingSize = 32, HeadCount = 2, LayerCount = 1 }, 1, 1);
        initModel.InitializeRandom(99);
        var initWeights = new GptWeights(initModel.Config);
        initModel.Parameters.CopyTo(initWeights.Values);
        GptCheckpoint.Save(initFrom, initWeights);
        string tokenizer = Path.Combine(dir.Path, "tok");
        Myna.Text.Tokenization.Training.TokenizerTrainingRun.Run([dir.Write("tok-corpus.txt", "a small corpus for a tokenizer")], tokenizer,
            new Myna.Text.Tokenization.Training.BpeTrainerOptions { VocabSize = 260 });
        int runs = 0;
        TrainingOptions Base() => TrainingFixtures.Micro(data.Directory, Path.Combine(dir.Path, $"run{Interlocked.Increment(ref runs)}")) with
        {
            MaxSteps = 4, EvalInterval = 0, CheckpointInterval = 0, WarmupSteps = 2, BatchSize = 2, SequenceLength = 8,
        };
        TrainingOptions NoShape(TrainingOptions o) => o with { Layers = null, Heads = null, EmbeddingSize = null, ContextLength = null };
        int poolThreads = ComputePool.Shared.ThreadCount;

        var rows = new (string Name, Func<TrainingOptions, TrainingOptions> Baseline, Func<TrainingOptions, TrainingOptions> Changed)[]
        {
            (nameof(TrainingOptions.Data), o => o, o => o with { Data = other.Directory }),
            // The fixture sets heads and width; the preset then decides the depth (tiny 2 blocks, small 6).
            (nameof(TrainingOptions.Preset), o => o with { Layers = null }, o => o with { Layers = null, Preset = "small" }),
            (nameof(TrainingOptions.Layers), o => o, o => o with { Layers = 2 }),
            (nameof(TrainingOptions.Heads), o => o, o => o with { Heads = 4 }),
            (nameof(TrainingOptions.EmbeddingSize), o => o, o => o with { EmbeddingSize = 16 }),
            (nameof(TrainingOptions.ContextLength), o => o, o => o with { ContextLength = 64 }),
            (nameof(TrainingOptions.InitFrom), o => NoShape(o), o => NoShape(o) with { InitFrom = initFrom }),
            (nameof(TrainingOptions.Tokenizer), o => o, o => o with { Tokenizer = tokenizer }),
            (nameof(TrainingOptions.BatchSize), o => o, o => o with { BatchSize = 3 }),
            (nameof(TrainingOptions.SequenceLength), o => o, o => o with { SequenceLength = 4 }),
            (nameof(TrainingOptions.GradientAccumulationSteps), o => o, o => o with { GradientAccumulationSteps = 2 }),
            (nameof(TrainingOptions.LearningRate), o => o, o => o with { LearningRate = 2e-2 }),
            (nameof(TrainingOptions.MinLearningRate), o => o, o => o with { MinLearningRate = 5e-3 }),
            (nameof(TrainingOptions.WarmupSteps), o => o, o => o with { WarmupSteps = 1 }),
            (nameof(TrainingOptions.DecaySteps), o => o, o => o with { DecaySteps = 100 }),
            (nameof(TrainingOptions.WeightDecay), o => o, o => o with { WeightDecay = 0.9 }),
            (nameof(TrainingOptions.Dropout), o => o, o => o with { Dropout = 0.3 }),
            (nameof(TrainingOptions.Beta1), o => o, o => o with { Beta1 = 0.5 }),
            (nameof(TrainingOptions.Beta2), o => o, o => o with { Beta2 = 0.5 }),
            (nameof(TrainingOptions.Epsilon), o => o, o => o with { Epsilon = 0.1 }),
            (nameof(TrainingOptions.GradClip), o => o, o => o with { GradClip = 0.01 }),
            (nameof(TrainingOptions.MaxSteps), o => o, o => o with { MaxSteps = 3 }),
            (nameof(TrainingOptions.MaxTokens), o => o, o => o with { MaxTokens = 2 * 8 * 3 }),
            (nameof(TrainingOptions.EvalInterval), o => o, o => o with { EvalInterval = 2 }),
            (nameof(TrainingOptions.EvalBatches), o => o, o => o with { EvalBatches = 1 }),
            (nameof(TrainingOptions.CheckpointInterval), o => o, o => o with { CheckpointInterval = 1 }),
            // A rate too small to move float32 weights: validation never improves, so patience 1 stops the run early.
            (nameof(TrainingOptions.EarlyStoppingPatience), o => o with { LearningRate = 1e-15, MinLearningRate = 0, EvalInterval = 1 }, o => o with { LearningRate = 1e-15, MinLearningRate = 0, EvalInterval = 1, EarlyStoppingPatience = 1 }),
            (nameof(TrainingOptions.LogInterval), o => o, o => o with { LogInterval = 2 }),
            (nameof(TrainingOptions.DataOrder), o => o, o => o with { DataOrder = DataOrder.Sequential }),
            (nameof(TrainingOptions.Seed), o => o, o => o with { Seed = 12 }),
            (nameof(TrainingOptions.Threads), o => o, o => o with { Threads = poolThreads + 1 }),
        };
        // Out is checked on its own below: every run writes somewhere else, so "the run changed" says nothing about it.
        Assert.Equal(Properties.Order(), rows.Select(r => r.Name).Append(nameof(TrainingOptions.Out)).Order());

        string? savedThreads = Environment.GetEnvironmentVariable("MYNA_THREADS");
        try
        {
            // Rows are independent runs in their own folders; a few at a time overlap the checkpoint writes' disk waits.
            var unchanged = new System.Collections.Concurrent.ConcurrentBag<string>();
            Parallel.ForEach(rows, new ParallelOptions { MaxDegreeOfParallelism = 4 }, row =>
            {
                string baseline = Observe(row.Baseline(Base()));
                string changed = Observe(row.Changed(Base()));
                if (baseline == changed) unchanged.Add($"changing {row.Name} did not change the run:\n{changed}");
            });
            Assert.Empty(unchanged);
            string elsewhere = Path.Combine(dir.Path, "elsewhere");
            TrainingResult moved = new Trainer(Base() with { Out = elsewhere }).Run();
            Assert.Equal(Path.Combine(elsewhere, CheckpointStore.LastName), moved.Checkpoint);
            Assert.True(File.Exists(Path.Combine(elsewhere, MetricsLog.FileName)));
        }
        finally
        {
            Environment.SetEnvironmentVariable("MYNA_THREADS", savedThreads);
        }
    }

    [Fact]
    public void EveryOptionHasAFlagThatSetsItAlone()
    {
        var values = new Dictionary<string, (string Flag, string Value)>
        {
            [nameof(TrainingOptions.Data)] = ("--data", "d"),
            [nameof(TrainingOptions.Out)] = ("--out", "o"),
            [nameof(TrainingOptions.Preset)] = ("--preset", "small"),
            [nameof(TrainingOptions.Layers)] = ("--n-layer", "3"),
            [nameof(TrainingOptions.Heads)] = ("--n-head", "3"),
            [nameof(TrainingOptions.EmbeddingSize)] = ("--n-embd", "48"),
            [nameof(TrainingOptions.ContextLength)] = ("--n-ctx", "64"),
            [nameof(TrainingOptions.InitFrom)] = ("--init-from", "m"),
            [nameof(TrainingOptions.Tokenizer)] = ("--tokenizer", "t"),
            [nameof(TrainingOptions.BatchSize)] = ("--batch-size", "3"),
            [nameof(TrainingOptions.SequenceLength)] = ("--seq-len", "33"),
            [nameof(TrainingOptions.GradientAccumulationSteps)] = ("--grad-accum", "3"),
            [nameof(TrainingOptions.LearningRate)] = ("--lr", "0.003"),
            [nameof(TrainingOptions.MinLearningRate)] = ("--min-lr", "0.0001"),
            [nameof(TrainingOptions.WarmupSteps)] = ("--warmup", "7"),
            [nameof(TrainingOptions.DecaySteps)] = ("--decay-steps", "70"),
            [nameof(TrainingOptions.WeightDecay)] = ("--weight-decay", "0.2"),
            [nameof(TrainingOptions.Dropout)] = ("--dropout", "0.25"),
            [nameof(TrainingOptions.Beta1)] = ("--beta1", "0.8"),
            [nameof(TrainingOptions.Beta2)] = ("--beta2", "0.99"),
            [nameof(TrainingOptions.Epsilon)] = ("--eps", "1e-6"),
            [nameof(TrainingOptions.GradClip)] = ("--grad-clip", "0.5"),
            [nameof(TrainingOptions.MaxSteps)] = ("--max-steps", "77"),
            [nameof(TrainingOptions.MaxTokens)] = ("--max-tokens", "9999"),
            [nameof(TrainingOptions.EvalInterval)] = ("--eval-interval", "9"),
            [nameof(TrainingOptions.EvalBatches)] = ("--eval-batches", "9"),
            [nameof(TrainingOptions.CheckpointInterval)] = ("--checkpoint-interval", "9"),
            [nameof(TrainingOptions.EarlyStoppingPatience)] = ("--patience", "3"),
            [nameof(TrainingOptions.LogInterval)] = ("--log-interval", "3"),
            [nameof(TrainingOptions.DataOrder)] = ("--data-order", "sequential"),
            [nameof(TrainingOptions.Seed)] = ("--seed", "5"),
            [nameof(TrainingOptions.Threads)] = ("--threads", "3"),
        };
        Assert.Equal(Properties.Order(), values.Keys.Order());
        var defaults = new TrainingOptions();
        foreach ((string property, (string flag, string value)) in values)
        {
            var flags = new TrainFlags();
            var command = new RootCommand();
            flags.AddTo(command);
            ParseResult parsed = command.Parse([flag, value]);
            Assert.Empty(parsed.Errors);
            TrainingOptions applied = flags.Apply(parsed, defaults);
            string[] changed = Properties.Where(p => !Equals(Get(applied, p), Get(defaults, p))).ToArray();
            Assert.True(changed.SequenceEqual([property]), $"{flag} {value} changed [{string.Join(", ", changed)}], expected {property}");
        }
    }

    private static object? Get(TrainingOptions options, string property) => typeof(TrainingOptions).GetProperty(property)!.GetValue(options);

    /// <summary>What a run did, less timings: the outcome, the log, the events, the checkpoint's shape.</summary>
    private static string Observe(TrainingOptions options)
    {
        var events = new List<string>();
        TrainingResult result;
        try
        {
            result = new Trainer(options, p => events.Add($"{p.Kind}@{p.Step}")).Run();
        }
        catch (TrainingOptionsException ex)
        {
            return "refused: " + ex.Message;
        }
        var log = File.ReadAllLines(Path.Combine(options.Out!, MetricsLog.FileName))
            .Select(l => JsonSerializer.Deserialize<MetricsRecord>(l)! with { ElapsedSeconds = 0, TokensPerSecond = null })
            .Select(r => JsonSerializer.Serialize(r));
        return string.Join("\n",
        [
            $"{result.Step} {result.StopReason} {result.TokensSeen} notes: {string.Join("; ", result.Notes)}",
            string.Join(" ", events),
            File.ReadAllText(Path.Combine(result.Checkpoint, "config.json")),
            .. log,
        ]);
    }
}
