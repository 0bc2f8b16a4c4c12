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
    [property: JsonPropertyName("isa")] string Isa);
