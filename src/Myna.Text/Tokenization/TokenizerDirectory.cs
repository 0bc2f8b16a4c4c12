using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Tokenizers;

namespace Myna.Text.Tokenization;

/// <summary>
/// Reads a Hugging Face tokenizer directory for byte-level BPE: <c>tokenizer.json</c> when present, else
/// GPT-2's <c>vocab.json</c> + <c>merges.txt</c> (with <c>added_tokens.json</c> if there).
/// </summary>
internal static class TokenizerDirectory
{
    public const string TokenizerJson = "tokenizer.json";
    public const string VocabJson = "vocab.json";
    public const string MergesTxt = "merges.txt";
    public const string AddedTokensJson = "added_tokens.json";

    /// <summary>Every file of a Hugging Face tokenizer directory that Myna reads or keeps alongside.</summary>
    public static readonly string[] Files = [TokenizerJson, VocabJson, MergesTxt, AddedTokensJson, "special_tokens_map.json", "tokenizer_config.json"];

    public static GptTokenizer Load(string directory)
    {
        if (!Directory.Exists(directory))
            throw new TokenizerFormatException($"Tokenizer directory '{directory}' does not exist (use 'gpt2' for the built-in GPT-2 vocabulary).");

        string tokenizerJson = Path.Combine(directory, TokenizerJson);
        if (File.Exists(tokenizerJson))
            return Build(directory, HfTokenizerJson.Read(tokenizerJson));

        string vocabJson = Path.Combine(directory, VocabJson);
        string mergesTxt = Path.Combine(directory, MergesTxt);
        if (File.Exists(vocabJson) && File.Exists(mergesTxt))
            return Build(directory, ReadVocabAndMerges(vocabJson, mergesTxt, Path.Combine(directory, AddedTokensJson)));

        throw new TokenizerFormatException(
            $"'{directory}' has neither {TokenizerJson} nor {VocabJson} + {MergesTxt}; a byte-level BPE tokenizer directory needs one of them.");
    }

    private static GptTokenizer Build(string directory, ByteLevelBpeDefinition definition)
    {
        Tokenizer CreateBpe()
        {
            try
            {
                var options = new BpeOptions(definition.Vocabulary)
                {
                    Merges = definition.Merges,
                    ByteLevel = true,
                    PreTokenizer = definition.SplitPattern is null ? Gpt2PreTokenizer.Create() : Gpt2PreTokenizer.Create(definition.SplitPattern),
                };
                return BpeTokenizer.Create(options);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
            {
                throw new TokenizerFormatException($"{definition.Source}: the vocabulary and merges do not form a BPE model: {ex.Message}", ex);
            }
        }

        var ordinaryIds = new HashSet<int>(definition.Vocabulary.Select(kv => kv.Value));
        foreach (SpecialToken special in definition.Specials) ordinaryIds.Remove(special.Id);
        int vocabSize = Math.Max(
            definition.Vocabulary.Count == 0 ? 0 : definition.Vocabulary.Max(kv => kv.Value) + 1,
            definition.Specials.Count == 0 ? 0 : definition.Specials.Max(s => s.Id) + 1);

        return new GptTokenizer(
            directory, CreateBpe, vocabSize, definition.Specials, definition.SkippedOnDecode, ordinaryIds.Contains,
            Fingerprint(definition), () => Export(definition, vocabSize), definition.Normalization, definition.AddPrefixSpace);
    }

    /// <summary>The definition as vocabulary data; ids that no token uses are filled with placeholder names.</summary>
    private static Training.TrainedBpe Export(ByteLevelBpeDefinition definition, int vocabSize)
    {
        var tokens = new string[vocabSize];
        foreach (var (token, id) in definition.Vocabulary) tokens[id] = token;
        foreach (SpecialToken special in definition.Specials) tokens[special.Id] = special.Content;
        for (int id = 0; id < vocabSize; id++) tokens[id] ??= $"[UNUSED{id}]";
        var merges = definition.Merges.Select(m => m.Split(' ')).Select(p => (p[0], p[1])).ToList();
        return new Training.TrainedBpe(tokens, merges, definition.Specials.Select(s => s.Content).ToList());
    }

    private static ByteLevelBpeDefinition ReadVocabAndMerges(string vocabJson, string mergesTxt, string addedTokensJson)
    {
        Dictionary<string, int> vocabulary = ReadTokenIdMap(vocabJson);
        var merges = new List<string>();
        int lineNumber = 0;
        foreach (string line in File.ReadLines(mergesTxt, Encoding.UTF8))
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal))) continue;
            if (line.Split(' ').Length != 2)
                throw new TokenizerFormatException($"{mergesTxt}, line {lineNumber}: a merge is two tokens separated by one space; found '{line}'.");
            merges.Add(line);
        }

        // GPT-2's tokenizer treats <|endoftext|> (its bos, eos and unk) as special; added_tokens.json lists any others.
        var specials = new List<SpecialToken>();
        if (vocabulary.TryGetValue(GptTokenizer.EndOfText, out int endOfText)) specials.Add(new SpecialToken(GptTokenizer.EndOfText, endOfText));
        if (File.Exists(addedTokensJson))
        {
            foreach ((string content, int id) in ReadTokenIdMap(addedTokensJson))
            {
                if (specials.All(s => s.Content != content)) specials.Add(new SpecialToken(content, id));
            }
        }
        return new ByteLevelBpeDefinition(vocabJson, vocabulary, merges, specials, specials.Select(s => s.Id).ToList());
    }

    private static Dictionary<string, int> ReadTokenIdMap(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<Dictionary<string, int>>(stream)
                ?? throw new TokenizerFormatException($"{path}: expected a JSON object of token → id, found null.");
        }
        catch (JsonException ex)
        {
            throw new TokenizerFormatException($"{path}: not a JSON object of token → id ({ex.Message}).", ex);
        }
    }

    private static string Fingerprint(ByteLevelBpeDefinition definition)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
        Add("vocab\n");
        foreach (var (token, id) in definition.Vocabulary.OrderBy(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)) Add($"{id}\t{token}\n");
        Add("merges\n");
        foreach (string merge in definition.Merges) Add(merge + "\n");
        Add("specials\n");
        foreach (SpecialToken special in definition.Specials.OrderBy(s => s.Id)) Add($"{special.Id}\t{special.Content}\n");
        Add($"pattern\n{definition.SplitPattern}\nnormalization\n{definition.Normalization}\nprefix\n{definition.AddPrefixSpace}\n");
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
