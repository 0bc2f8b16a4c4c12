using System.Text.Json.Serialization;

namespace Myna.Bench.Generation;

/// <summary>
/// One engine at one precision: prefill and decode speeds in tokens per second, and the instruction-set tier the engine
/// ran at (Myna: avx512, avx2 or portable; llama.cpp: the native build that was loaded, e.g. avx2).
/// </summary>
public sealed record GenerateResult(
    [property: JsonPropertyName("engine")] string Engine,
    [property: JsonPropertyName("dtype")] string Dtype,
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("prefill_tokens_per_s")] double PrefillTokensPerSecond,
    [property: JsonPropertyName("decode_tokens_per_s")] double DecodeTokensPerSecond,
    [property: JsonPropertyName("batch")] int Batch,
    [property: JsonPropertyName("decode_tokens_per_s_batch")] double BatchDecodeTokensPerSecond,
    [property: JsonPropertyName("prompt_tokens")] int PromptTokens,
    [property: JsonPropertyName("new_tokens")] int NewTokens,
    [property: JsonPropertyName("weight_bytes")] long WeightBytes,
    [property: JsonPropertyName("isa")] string Isa)
{
    /// <summary>
    /// Myna only: mean milliseconds per step of the generation scheduler spent outside the forward pass (sampling at
    /// temperature 0.8 / top-p 0.9, detokenising, bookkeeping), decoding one sequence; null for llama.cpp.
    /// </summary>
    [JsonPropertyName("overhead_ms_per_step")]
    public double? OverheadMillisecondsPerStep { get; init; }

    /// <summary>Myna only: mean milliseconds per scheduler step inside the forward pass, one sequence.</summary>
    [JsonPropertyName("forward_ms_per_step")]
    public double? ForwardMillisecondsPerStep { get; init; }

    /// <summary>As <see cref="OverheadMillisecondsPerStep"/>, decoding <see cref="Batch"/> sequences.</summary>
    [JsonPropertyName("overhead_ms_per_step_batch")]
    public double? BatchOverheadMillisecondsPerStep { get; init; }

    /// <summary>As <see cref="ForwardMillisecondsPerStep"/>, decoding <see cref="Batch"/> sequences.</summary>
    [JsonPropertyName("forward_ms_per_step_batch")]
    public double? BatchForwardMillisecondsPerStep { get; init; }

    /// <summary>
    /// Myna only: the share of the weight bytes the OS backs with transparent huge pages (0 where it does not: THP off,
    /// another OS, <c>MYNA_HUGE_PAGES=0</c>); batch-1 decode streams them and is faster on huge pages.
    /// </summary>
    [JsonPropertyName("weights_on_huge_pages")]
    public double? HugePageShare { get; init; }
}
