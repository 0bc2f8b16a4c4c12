using System.Text.Json;
using System.Text.Json.Serialization;

namespace Myna.Training;

/// <summary>trainer_state.json: everything besides weights and moments that a resumed run needs to continue exactly.</summary>
public sealed record TrainerState
{
    /// <summary>What the file is.</summary>
    [JsonPropertyName("format")] public string Format { get; init; } = "myna-trainer-state";

    /// <summary>Optimizer steps completed.</summary>
    [JsonPropertyName("step")] public int Step { get; init; }

    /// <summary>Training tokens consumed so far.</summary>
    [JsonPropertyName("tokens_seen")] public long TokensSeen { get; init; }

    /// <summary>The random state: the loader's order is a pure function of (seed, epoch, cursor), so these three are all of it.</summary>
    [JsonPropertyName("rng")] public required RandomState Rng { get; init; }

    /// <summary>Lowest validation loss so far (null before the first validation).</summary>
    [JsonPropertyName("best_val_loss")] public double? BestValLoss { get; init; }

    /// <summary>Step of <see cref="BestValLoss"/>.</summary>
    [JsonPropertyName("best_step")] public int? BestStep { get; init; }

    /// <summary>Validation passes since the last new best (early stopping counts these).</summary>
    [JsonPropertyName("evals_without_improvement")] public int EvalsWithoutImprovement { get; init; }

    /// <summary>Mean training loss of the last step.</summary>
    [JsonPropertyName("train_loss")] public double? TrainLoss { get; init; }

    /// <summary>The last validation loss.</summary>
    [JsonPropertyName("val_loss")] public double? ValLoss { get; init; }

    /// <summary>Wall-clock seconds spent training across all sessions of this run.</summary>
    [JsonPropertyName("elapsed_seconds")] public double ElapsedSeconds { get; init; }

    /// <summary>Compute threads the run used (bit-exact resume needs the same count).</summary>
    [JsonPropertyName("threads")] public int Threads { get; init; }

    /// <summary>Fingerprint of the tokenizer the shards were made with.</summary>
    [JsonPropertyName("tokenizer_fingerprint")] public string? TokenizerFingerprint { get; init; }

    /// <summary>The options of the run.</summary>
    [JsonPropertyName("options")] public required JsonElement Options { get; init; }

    /// <summary>The loader's seed and position.</summary>
    public sealed record RandomState(
        [property: JsonPropertyName("seed")] ulong Seed,
        [property: JsonPropertyName("data_epoch")] long DataEpoch,
        [property: JsonPropertyName("data_cursor")] long DataCursor);

    internal static JsonSerializerOptions Json { get; } = new() { WriteIndented = true };
}
