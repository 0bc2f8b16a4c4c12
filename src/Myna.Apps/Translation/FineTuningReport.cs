using System.Text.Json.Serialization;

namespace Myna.Apps.Translation;

/// <summary>What <see cref="FineTuningCorpus.Build"/> kept.</summary>
public sealed record FineTuningReport
{
    /// <summary>The split counts the corpus was made from.</summary>
    [JsonPropertyName("splits")] public required TranslationSplitCounts Splits { get; init; }

    /// <summary>The context every example fits in.</summary>
    [JsonPropertyName("n_ctx")] public int ContextLength { get; init; }

    /// <summary>The tokenizer the lengths were measured with.</summary>
    [JsonPropertyName("tokenizer_fingerprint")] public required string TokenizerFingerprint { get; init; }

    /// <summary>Training pairs offered.</summary>
    [JsonPropertyName("train_pairs")] public int TrainPairs { get; init; }

    /// <summary>Training pairs that fit, written as documents.</summary>
    [JsonPropertyName("kept")] public int Kept { get; init; }

    /// <summary>Training pairs too long for the context.</summary>
    [JsonPropertyName("too_long")] public int TooLong { get; init; }

    /// <summary>Characters in the kept documents.</summary>
    [JsonPropertyName("characters")] public long Characters { get; init; }
}
