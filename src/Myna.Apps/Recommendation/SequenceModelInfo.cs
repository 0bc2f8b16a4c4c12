using System.Text.Json.Serialization;

namespace Myna.Apps.Recommendation;

/// <summary><c>recommender.json</c> beside a trained model: its item vocabulary and how it was trained.</summary>
public sealed record SequenceModelInfo
{
    /// <summary>The file name in the model folder.</summary>
    public const string FileName = "recommender.json";

    /// <summary>Catalogue ids in token order (token i is <c>ItemIds[i]</c>; the end-of-sequence token follows the last).</summary>
    [JsonPropertyName("item_ids")] public required int[] ItemIds { get; init; }

    /// <summary>The cache key: interactions, protocol and settings hashed together.</summary>
    [JsonPropertyName("key")] public required string Key { get; init; }

    /// <summary>The settings it was trained with.</summary>
    [JsonPropertyName("settings")] public required SequenceModelSettings Settings { get; init; }

    /// <summary>Wall-clock training seconds (shards included).</summary>
    [JsonPropertyName("training_seconds")] public double TrainingSeconds { get; init; }

    /// <summary>Optimizer steps run.</summary>
    [JsonPropertyName("steps")] public int Steps { get; init; }

    /// <summary>Loss of the last step.</summary>
    [JsonPropertyName("final_loss")] public double FinalLoss { get; init; }

    /// <summary>Parameters of the model.</summary>
    [JsonPropertyName("parameters")] public long Parameters { get; init; }

    /// <summary>Bytes of model.safetensors.</summary>
    [JsonPropertyName("model_bytes")] public long ModelBytes { get; init; }

    /// <summary>The hybrid's transition weight, chosen on the validation item after training, with every weight tried;
    /// null in folders trained before the hybrid existed (they recommend with the model alone).</summary>
    [JsonPropertyName("transition_weight")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public WeightChoice? TransitionWeight { get; init; }
}
