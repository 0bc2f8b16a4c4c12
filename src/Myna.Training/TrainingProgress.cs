namespace Myna.Training;

/// <summary>What a progress display shows after a logged step, a validation pass or a checkpoint.</summary>
/// <param name="Kind">"train", "val" or "checkpoint".</param>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="TotalSteps">Steps the run will take.</param>
/// <param name="Tokens">Training tokens consumed.</param>
/// <param name="TrainLoss">Mean loss of the last step.</param>
/// <param name="ValLoss">Last validation loss (null before the first pass).</param>
/// <param name="LearningRate">Rate of the last step.</param>
/// <param name="TokensPerSecond">Training throughput of this session.</param>
/// <param name="Eta">Estimated time to the last step.</param>
/// <param name="Message">For checkpoints: the folder written.</param>
public sealed record TrainingProgress(
    string Kind, int Step, int TotalSteps, long Tokens, double TrainLoss, double? ValLoss, double LearningRate,
    double TokensPerSecond, TimeSpan Eta, string? Message = null);
