using System.Text.Json.Serialization;

namespace Myna.Text.Shards;

/// <summary>meta.json beside the shards: what they hold and which tokenizer made them.</summary>
public sealed class ShardMeta
{
    [JsonPropertyName("format")] public string Format { get; init; } = "myna-token-shards";
    [JsonPropertyName("version")] public uint Version { get; init; } = TokenShardFormat.Version;
    [JsonPropertyName("tokenizer")] public required TokenizerInfo Tokenizer { get; init; }
    [JsonPropertyName("token_width")] public int TokenWidth { get; init; }
    [JsonPropertyName("document_separator")] public string DocumentSeparator { get; init; } = "each document is preceded by the end-of-text token";
    [JsonPropertyName("val_fraction")] public double ValFraction { get; init; }
    [JsonPropertyName("train")] public SplitInfo Train { get; init; } = new();
    [JsonPropertyName("val")] public SplitInfo Val { get; init; } = new();
    [JsonPropertyName("sources")] public List<string> Sources { get; init; } = [];
    [JsonPropertyName("skipped")] public long Skipped { get; set; }
    [JsonPropertyName("seconds")] public double Seconds { get; set; }

    /// <summary>The tokenizer's identity.</summary>
    public sealed class TokenizerInfo
    {
        [JsonPropertyName("name")] public required string Name { get; init; }
        [JsonPropertyName("fingerprint")] public required string Fingerprint { get; init; }
        [JsonPropertyName("vocab_size")] public int VocabSize { get; init; }
        [JsonPropertyName("eot_id")] public int EndOfTextId { get; init; }

        /// <summary>What the ids are: null for a text tokenizer's (the only kind before items existed, so older meta.json
        /// files read the same), <see cref="ItemsKind"/> for an item vocabulary, whose ids have no tokenizer files.</summary>
        [JsonPropertyName("kind")]
        [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
        public string? Kind { get; init; }

        /// <summary>The <see cref="Kind"/> of shards whose ids are catalogue items (a recommender's), not text tokens.</summary>
        public const string ItemsKind = "items";

        /// <summary>Whether the ids are items, so that no tokenizer folder belongs with them.</summary>
        [JsonIgnore]
        public bool IsItemVocabulary => string.Equals(Kind, ItemsKind, StringComparison.Ordinal);
    }

    /// <summary>Counts and files of one split.</summary>
    public sealed class SplitInfo
    {
        [JsonPropertyName("documents")] public long Documents { get; set; }
        [JsonPropertyName("tokens")] public long Tokens { get; set; }
        [JsonPropertyName("files")] public List<string> Files { get; init; } = [];
    }
}
