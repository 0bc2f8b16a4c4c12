using System.Text.Json.Serialization;

namespace Myna.Bench.Serving;

/// <summary>One ratio of the targets: its value, the target and whether the value meets it.</summary>
/// <param name="Name">Short key: batching_gain, batching_on_vs_off, server_vs_engine_batch1, server_vs_engine_batch8, server_vs_llama_batch8, prefill_interference.</param>
/// <param name="Description">What is divided by what.</param>
/// <param name="Value">The ratio.</param>
/// <param name="Target">The bound (stated for GPT-2 124M at f16, 2 threads).</param>
/// <param name="AtMost">True when the value must stay at or below the target; false when it must reach it.</param>
public sealed record ServeRatio(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("description")] string Description,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("target")] double Target,
    [property: JsonPropertyName("at_most")] bool AtMost)
{
    /// <summary>Whether <see cref="Value"/> meets <see cref="Target"/>.</summary>
    [JsonPropertyName("met")]
    public bool Met => AtMost ? Value <= Target : Value >= Target;
}
