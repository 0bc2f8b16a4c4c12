using Myna.Training;

namespace Myna.Tests.Training;

/// <summary>Options for runs that finish in a second or two: a one-block, 32-wide model on short windows.</summary>
internal static class TrainingFixtures
{
    public static TrainingOptions Micro(string data, string output) => new()
    {
        Data = data,
        Out = output,
        Layers = 1,
        Heads = 2,
        EmbeddingSize = 32,
        ContextLength = 32,
        BatchSize = 4,
        SequenceLength = 16,
        LearningRate = 1e-2,
        MinLearningRate = 1e-3,
        WarmupSteps = 3, // below the 4 steps of the shortest runs that use these options
        MaxSteps = 12,
        EvalInterval = 4,
        EvalBatches = 2,
        CheckpointInterval = 4,
        LogInterval = 1,
        Seed = 11,
    };

    /// <summary>The "train" records of metrics.jsonl: (step, train loss).</summary>
    public static List<(int Step, double Loss)> TrainLosses(string output) =>
        File.ReadAllLines(Path.Combine(output, MetricsLog.FileName))
            .Select(l => System.Text.Json.JsonSerializer.Deserialize<MetricsRecord>(l)!)
            .Where(r => r.Kind == "train")
            .Select(r => (r.Step, r.TrainLoss!.Value))
            .ToList();

    /// <summary>The "val" records of metrics.jsonl: (step, val loss).</summary>
    public static List<(int Step, double Loss)> ValLosses(string output) =>
        File.ReadAllLines(Path.Combine(output, MetricsLog.FileName))
            .Select(l => System.Text.Json.JsonSerializer.Deserialize<MetricsRecord>(l)!)
            .Where(r => r.Kind == "val")
            .Select(r => (r.Step, r.ValLoss!.Value))
            .ToList();
}
