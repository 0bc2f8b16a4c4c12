using System.Text.Json.Serialization;

namespace Myna.Apps.Recommendation;

/// <summary>One weight of the hybrid, and the full-ranking NDCG@10 it reached on one split.</summary>
public sealed record WeightTrial(
    [property: JsonPropertyName("weight")] double Weight,
    [property: JsonPropertyName("ndcg@10")] double Ndcg);

/// <summary>The hybrid's chosen weight and every weight tried on the validation item (<see cref="WeightTrial.Ndcg"/> is the validation figure).</summary>
public sealed record WeightChoice(
    [property: JsonPropertyName("weight")] double Weight,
    [property: JsonPropertyName("tried")] IReadOnlyList<WeightTrial> Tried);
