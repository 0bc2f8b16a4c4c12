using System.Text.Json.Serialization;

namespace Myna.Bench.Generation;

/// <summary>A Myna figure at one tier divided by the same figure one tier up.</summary>
public sealed record TierRatio(
    [property: JsonPropertyName("isa")] string Isa,
    [property: JsonPropertyName("relative_to")] string RelativeTo,
    [property: JsonPropertyName("dtype")] string Dtype,
    [property: JsonPropertyName("prefill")] double Prefill,
    [property: JsonPropertyName("decode")] double Decode,
    [property: JsonPropertyName("batch_decode")] double BatchDecode);
