using Myna.Models.Perplexity;

namespace Myna.Training;

/// <summary>How a run ended.</summary>
/// <param name="Step">Optimizer steps completed.</param>
/// <param name="TrainLoss">Mean loss of the last step (NaN when no step ran).</param>
/// <param name="ValLoss">Last validation loss (null when none ran).</param>
/// <param name="TokensPerSecond">Training throughput of this session (tokens of training steps per second of step time).</param>
/// <param name="Checkpoint">The resumable checkpoint folder (<c>OUT/last</c>).</param>
/// <param name="BestCheckpoint">The lowest-validation-loss model folder (<c>OUT/best</c>), when a validation ran.</param>
/// <param name="StopReason">"completed", "interrupted" or "early_stopping".</param>
/// <param name="TokensSeen">Training tokens consumed over the whole run.</param>
/// <param name="ElapsedSeconds">Wall-clock seconds over all sessions of the run.</param>
/// <param name="Notes">Warnings worth showing (threads not applied, no tokenizer files to ship).</param>
public sealed record TrainingResult(
    int Step, double TrainLoss, double? ValLoss, double TokensPerSecond, string Checkpoint, string? BestCheckpoint,
    string StopReason, long TokensSeen, double ElapsedSeconds, IReadOnlyList<string> Notes)
{
    /// <summary>exp(validation loss): the perplexity of the last validation pass's batches, the figure training tracks.</summary>
    public double? ValPerplexity => ValLoss is double loss ? Math.Exp(loss) : null;

    /// <summary>
    /// Held-out perplexity by its one definition (the whole validation split, window = context, stride = half), measured
    /// at the end of a run that was not stopped; null otherwise or without a validation split.
    /// </summary>
    public PerplexityResult? HeldOut { get; init; }
}
