using System.Text.Json.Serialization;
using Myna.Bench.Generation;

namespace Myna.Bench.Serving;

/// <summary>Everything <c>myna bench serve</c> measured on one model at one precision.</summary>
public sealed record ModelServeReport
{
    /// <summary>The id the server served it as.</summary>
    [JsonPropertyName("model")] public required string Model { get; init; }

    /// <summary>Weight precision: f32, f16 or int8.</summary>
    [JsonPropertyName("dtype")] public required string Dtype { get; init; }

    /// <summary>Where the weights came from: a model directory, or "random gpt2" (GPT-2 124M shape, fixed seed).</summary>
    [JsonPropertyName("source")] public required string Source { get; init; }

    /// <summary>The model's layers, width and context (n_layer, n_embd, n_ctx), e.g. "12×768, n_ctx 1024".</summary>
    [JsonPropertyName("shape")] public required string Shape { get; init; }

    /// <summary>The bare engine (no server, no sampling) decoding 1 and <see cref="GenerateResult.Batch"/> sequences: <c>bench generate</c>'s figures.</summary>
    [JsonPropertyName("engine")] public required GenerateResult Engine { get; init; }

    /// <summary>
    /// The bare engine measured again (one round) after the load runs: far from <see cref="Engine"/>, this machine's
    /// speed moved during the run and the ratios compare figures taken at different speeds.
    /// </summary>
    [JsonPropertyName("engine_after")] public GenerateResult? EngineAfter { get; init; }

    /// <summary>
    /// <see cref="EngineAfter"/>'s batch-1 and batch-N decode over <see cref="Engine"/>'s (1 = the machine held its
    /// speed; the first is the best of several rounds, the second one round, so slightly below 1 is usual).
    /// </summary>
    [JsonPropertyName("engine_drift")]
    public double[]? EngineDrift => EngineAfter is { } after && Engine.DecodeTokensPerSecond > 0 && Engine.BatchDecodeTokensPerSecond > 0
        ? [after.DecodeTokensPerSecond / Engine.DecodeTokensPerSecond, after.BatchDecodeTokensPerSecond / Engine.BatchDecodeTokensPerSecond]
        : null;

    /// <summary>
    /// The load's requests (same prompts, settings and clients) through the server's scheduler alone, no HTTP, at
    /// concurrency 1 and 8: the server's tokens/s over these is what serving itself costs.
    /// </summary>
    [JsonPropertyName("scheduler_baseline")] public IReadOnlyList<SchedulerBaselineRun> SchedulerBaseline { get; init; } = [];

    /// <summary>llama.cpp on the same weights (GGUF), null when skipped or the vocabulary is not GPT-2's.</summary>
    [JsonPropertyName("llama")] public GenerateResult? Llama { get; init; }

    /// <summary>The load runs at each concurrency, batching on.</summary>
    [JsonPropertyName("runs")] public required IReadOnlyList<LoadRunSummary> Runs { get; init; }

    /// <summary>The same load with one slot (<c>--parallel 1</c>).</summary>
    [JsonPropertyName("batching_off")] public LoadRunSummary? BatchingOff { get; init; }

    /// <summary>A long prompt joining running streams; null when it does not fit the context.</summary>
    [JsonPropertyName("interference")] public InterferenceResult? Interference { get; init; }

    /// <summary>Many clients against a short queue.</summary>
    [JsonPropertyName("overload")] public OverloadResult? Overload { get; init; }

    /// <summary>The endurance run; null unless asked for (on one model: f16 when measured).</summary>
    [JsonPropertyName("endurance")] public EnduranceResult? Endurance { get; init; }

    /// <summary>The ratios with their targets.</summary>
    [JsonPropertyName("ratios")] public required IReadOnlyList<ServeRatio> Ratios { get; init; }
}
