using System.Text;
using System.Text.Json;
using Myna.Text.Tokenization;

namespace Myna.Tests.Text.Tokenization;

/// <summary>
/// Writes GPT-2 as Hugging Face files (vocab.json + merges.txt, and tokenizer.json) from the built-in tiktoken
/// ranks, so directory loading is checked against the built-in tokenizer on the real 50k vocabulary.
/// Merges are recovered the standard way: a token's merge is the last step of BPE on its own bytes using only
/// lower ranks.
/// </summary>
public sealed class Gpt2DirectoryFixture : IDisposable
{
    public Gpt2DirectoryFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "myna-gpt2-" + Guid.NewGuid().ToString("N"));
        VocabMergesDirectory = Path.Combine(Root, "vocab-merges");
        TokenizerJsonDirectory = Path.Combine(Root, "tokenizer-json");
        Directory.CreateDirectory(VocabMergesDirectory);
        Directory.CreateDirectory(TokenizerJsonDirectory);

        List<byte[]> tokens = ReadTokens();
        var rankOf = new Dictionary<string, int>();
        for (int i = 0; i < tokens.Count; i++) rankOf[ByteLevelAlphabet.Encode(tokens[i])] = i;

        var merges = new List<(string Left, string Right)>();
        for (int rank = 0; rank < tokens.Count; rank++)
        {
            if (tokens[rank].Length < 2) continue;
            List<string> parts = tokens[rank].Select(b => ByteLevelAlphabet.ToChar(b).ToString()).ToList();
            while (parts.Count > 2)
            {
                int best = -1, bestRank = int.MaxValue;
                for (int j = 0; j < parts.Count - 1; j++)
                {
                    if (rankOf.TryGetValue(parts[j] + parts[j + 1], out int r) && r < rank && r < bestRank) { bestRank = r; best = j; }
                }
                parts[best] += parts[best + 1];
                parts.RemoveAt(best + 1);
            }
            merges.Add((parts[0], parts[1]));
        }

        var vocab = new Dictionary<string, int>(rankOf) { [GptTokenizer.EndOfText] = tokens.Count };
        File.WriteAllText(Path.Combine(VocabMergesDirectory, "vocab.json"), JsonSerializer.Serialize(vocab));
        File.WriteAllText(Path.Combine(VocabMergesDirectory, "merges.txt"),
            "#version: 0.2\n" + string.Join("\n", merges.Select(m => $"{m.Left} {m.Right}")) + "\n", new UTF8Encoding(false));

        // tokenizer.json in the newer HF form: merges as [left, right] pairs.
        var tokenizerJson = new
        {
            version = "1.0",
            added_tokens = new[] { new { id = tokens.Count, content = GptTokenizer.EndOfText, single_word = false, lstrip = false, rstrip = false, normalized = true, special = true } },
            normalizer = (object?)null,
            pre_tokenizer = new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = true },
            decoder = new { type = "ByteLevel", add_prefix_space = true, trim_offsets = true, use_regex = true },
            model = new { type = "BPE", dropout = (object?)null, unk_token = (object?)null, continuing_subword_prefix = "", end_of_word_suffix = "", fuse_unk = false, byte_fallback = false, vocab, merges = merges.Select(m => new[] { m.Left, m.Right }) },
        };
        File.WriteAllText(Path.Combine(TokenizerJsonDirectory, "tokenizer.json"), JsonSerializer.Serialize(tokenizerJson));
    }

    public string Root { get; }
    public string VocabMergesDirectory { get; }
    public string TokenizerJsonDirectory { get; }

    private static List<byte[]> ReadTokens()
    {
        var tokens = new List<byte[]>();
        using var reader = new StreamReader(new MemoryStream(Gpt2Vocabulary.ReadRanks()));
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            tokens.Add(Convert.FromBase64String(line.Split(' ')[0]));
        }
        return tokens;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
