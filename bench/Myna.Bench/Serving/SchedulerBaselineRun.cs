using System.Text.Json.Serialization;

namespace Myna.Bench.Serving;

/// <summary>One <see cref="SchedulerBaseline"/> run.</summary>
/// <param name="Concurrency">Requests kept in flight.</param>
/// <param name="Requests">Requests run.</param>
/// <param name="OutputTokens">Tokens generated in all.</param>
/// <param name="Seconds">Wall time, prefill included.</param>
public sealed record SchedulerBaselineRun(
    [property: JsonPropertyName("concurrency")] int Concurrency,
    [property: JsonPropertyName("requests")] int Requests,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("seconds")] double Seconds)
{
    /// <summary>Output tokens per second.</summary>
    [JsonPropertyName("output_tokens_per_s")] public double OutputTokensPerSecond => OutputTokens / Seconds;
}
