using System.Text;
using System.Text.Json;

namespace Myna.Text.Tokenization;

/// <summary>
/// Reads the parts of a Hugging Face <c>tokenizer.json</c> that define a byte-level BPE tokenizer: the BPE model
/// (vocab, merges as "a b" strings or [a, b] pairs), added tokens, a ByteLevel pre-tokenizer (alone or after a
/// regex Split), and an optional NFC/NFKC/NFD/NFKD normalizer. Anything else is refused by name rather than
/// encoded wrongly.
/// </summary>
internal static class HfTokenizerJson
{
    public static ByteLevelBpeDefinition Read(string path)
    {
        JsonDocument document;
        try
        {
            using FileStream stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = 256 });
        }
        catch (JsonException ex)
        {
            throw new TokenizerFormatException($"{path}: not valid JSON ({ex.Message}).", ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw Error(path, "the top level is not a JSON object");
            JsonElement model = Required(root, "model", path);
            string type = OptionalString(model, "type") ?? "BPE";
            if (type != "BPE") throw Error(path, $"model type '{type}' is not supported; Myna reads byte-level BPE tokenizers");
            foreach (string affix in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            {
                if (!string.IsNullOrEmpty(OptionalString(model, affix))) throw Error(path, $"model.{affix} is set; byte-level BPE does not use it");
            }

            var vocabulary = new Dictionary<string, int>();
            JsonElement vocab = Required(model, "vocab", path);
            if (vocab.ValueKind != JsonValueKind.Object) throw Error(path, "model.vocab is not an object of token → id");
            foreach (JsonProperty entry in vocab.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetInt32(out int id) || id < 0)
                    throw Error(path, $"model.vocab['{entry.Name}'] is not a non-negative whole number");
                vocabulary[entry.Name] = id;
            }

            var merges = new List<string>();
            if (model.TryGetProperty("merges", out JsonElement mergeList) && mergeList.ValueKind == JsonValueKind.Array)
            {
                int index = 0;
                foreach (JsonElement merge in mergeList.EnumerateArray())
                {
                    merges.Add(ReadMerge(merge, path, index++));
                }
            }

            var specials = new List<SpecialToken>();
            var skipped = new List<int>();
            if (root.TryGetProperty("added_tokens", out JsonElement added) && added.ValueKind == JsonValueKind.Array)
            {
                foreach (JsonElement token in added.EnumerateArray())
                {
                    string content = OptionalString(token, "content") ?? throw Error(path, "an added token has no content");
                    // An empty special token matches everywhere: encoding with specials would never advance.
                    if (content.Length == 0) throw Error(path, "an added token's content is empty");
                    if (!token.TryGetProperty("id", out JsonElement idElement) || !idElement.TryGetInt32(out int id) || id < 0)
                        throw Error(path, $"added token '{content}' has no valid id");
                    specials.Add(new SpecialToken(content, id));
                    if (token.TryGetProperty("special", out JsonElement special) && special.ValueKind == JsonValueKind.True) skipped.Add(id);
                }
            }

            (string? pattern, bool addPrefixSpace) = ReadPreTokenizer(root, path);
            NormalizationForm? normalization = ReadNormalizer(root, path);
            return new ByteLevelBpeDefinition(path, vocabulary, merges, specials, skipped, pattern, normalization, addPrefixSpace);
        }
    }

    private static string ReadMerge(JsonElement merge, string path, int index)
    {
        if (merge.ValueKind == JsonValueKind.String)
        {
            string text = merge.GetString()!;
            if (text.Split(' ').Length != 2) throw Error(path, $"model.merges[{index}] '{text}' is not two tokens separated by one space");
            return text;
        }
        if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2
            && merge[0].ValueKind == JsonValueKind.String && merge[1].ValueKind == JsonValueKind.String)
        {
            string left = merge[0].GetString()!, right = merge[1].GetString()!;
            if (left.Contains(' ') || right.Contains(' ')) throw Error(path, $"model.merges[{index}] holds a space inside a token, which Myna cannot represent");
            return $"{left} {right}";
        }
        throw Error(path, $"model.merges[{index}] is neither \"a b\" nor [\"a\", \"b\"]");
    }

    private static (string? Pattern, bool AddPrefixSpace) ReadPreTokenizer(JsonElement root, string path)
    {
        if (!root.TryGetProperty("pre_tokenizer", out JsonElement pre) || pre.ValueKind != JsonValueKind.Object)
            throw Error(path, "there is no pre_tokenizer; Myna reads byte-level BPE tokenizers (pre_tokenizer type ByteLevel)");

        string type = OptionalString(pre, "type") ?? "";
        if (type == "ByteLevel")
        {
            bool useRegex = !pre.TryGetProperty("use_regex", out JsonElement r) || r.ValueKind != JsonValueKind.False;
            if (!useRegex) throw Error(path, "a ByteLevel pre_tokenizer without use_regex and without a Split before it is not supported");
            return (null, pre.TryGetProperty("add_prefix_space", out JsonElement p) && p.ValueKind == JsonValueKind.True);
        }
        if (type == "Sequence" && pre.TryGetProperty("pretokenizers", out JsonElement steps) && steps.ValueKind == JsonValueKind.Array
            && steps.GetArrayLength() == 2)
        {
            JsonElement split = steps[0], byteLevel = steps[1];
            if (OptionalString(split, "type") == "Split" && OptionalString(byteLevel, "type") == "ByteLevel"
                && split.TryGetProperty("pattern", out JsonElement pattern) && pattern.TryGetProperty("Regex", out JsonElement regex)
                && regex.ValueKind == JsonValueKind.String
                && OptionalString(split, "behavior") == "Isolated"
                && !(split.TryGetProperty("invert", out JsonElement invert) && invert.ValueKind == JsonValueKind.True))
            {
                return (regex.GetString(), byteLevel.TryGetProperty("add_prefix_space", out JsonElement p) && p.ValueKind == JsonValueKind.True);
            }
        }
        throw Error(path, $"pre_tokenizer of type '{type}' is not supported; Myna reads ByteLevel, or Sequence[Split(Regex, Isolated), ByteLevel]");
    }

    private static NormalizationForm? ReadNormalizer(JsonElement root, string path)
    {
        if (!root.TryGetProperty("normalizer", out JsonElement normalizer) || normalizer.ValueKind == JsonValueKind.Null) return null;
        string type = OptionalString(normalizer, "type") ?? "";
        return type switch
        {
            "NFC" => NormalizationForm.FormC,
            "NFD" => NormalizationForm.FormD,
            "NFKC" => NormalizationForm.FormKC,
            "NFKD" => NormalizationForm.FormKD,
            _ => throw Error(path, $"normalizer '{type}' is not supported (NFC, NFD, NFKC and NFKD are)"),
        };
    }

    private static JsonElement Required(JsonElement parent, string name, string path) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null
            ? value
            : throw Error(path, $"'{name}' is missing");

    private static string? OptionalString(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static TokenizerFormatException Error(string path, string what) => new($"{path}: {what}.");
}
