using System.Text.Json.Serialization;

namespace Myna.Bench.Serving;

/// <summary>
/// What a long prompt joining running streams does to them: their inter-token latency over the gaps that ended after
/// the prompt was sent, the joining request's own time to first token, and the errors.
/// </summary>
public sealed record InterferenceResult
{
    /// <summary>Streams decoding when the prompt joined.</summary>
    [JsonPropertyName("streams")] public required int Streams { get; init; }

    /// <summary>The joining prompt's tokens.</summary>
    [JsonPropertyName("joining_prompt_tokens")] public required int JoiningPromptTokens { get; init; }

    /// <summary>The server's prompt tokens per step, which decides how many steps the prompt shares with the streams.</summary>
    [JsonPropertyName("prefill_chunk")] public required int PrefillChunk { get; init; }

    /// <summary>Inter-token gaps of the running streams counted (those ending after the join).</summary>
    [JsonPropertyName("gaps")] public required int Gaps { get; init; }

    /// <summary>Their inter-token latency p50, ms.</summary>
    [JsonPropertyName("itl_p50_ms")] public required double InterTokenP50 { get; init; }

    /// <summary>Their inter-token latency p99, ms.</summary>
    [JsonPropertyName("itl_p99_ms")] public required double InterTokenP99 { get; init; }

    /// <summary>Their longest gap, ms.</summary>
    [JsonPropertyName("itl_max_ms")] public required double InterTokenMax { get; init; }

    /// <summary>The joining request's time to first token, ms (null if it failed).</summary>
    [JsonPropertyName("joining_ttft_ms")] public double? JoiningTimeToFirstToken { get; init; }

    /// <summary>Requests (streams and the joining one) that did not complete.</summary>
    [JsonPropertyName("errors")] public required int Errors { get; init; }

    /// <summary>p99 ÷ p50; null when no gap was measured.</summary>
    [JsonPropertyName("p99_over_p50")]
    public double? Ratio => InterTokenP50 > 0 ? InterTokenP99 / InterTokenP50 : null;
}
