using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Myna.Text.Output;

namespace Myna.Text.Tokenization.Training;

/// <summary>A trained byte-level BPE tokenizer: tokens in id order (byte-level text form), merges in learned order,
/// special tokens (the last ids). Saves the Hugging Face layout: tokenizer.json, vocab.json, merges.txt, tokenizer_config.json, special_tokens_map.json.</summary>
public sealed class TrainedBpe(IReadOnlyList<string> tokens, IReadOnlyList<(string Left, string Right)> merges, IReadOnlyList<string> specialTokens)
{
    /// <summary>Token text (GPT-2 byte-level alphabet) by id.</summary>
    public IReadOnlyList<string> Tokens { get; } = tokens;

    /// <summary>Merges in the order learned (rank order).</summary>
    public IReadOnlyList<(string Left, string Right)> Merges { get; } = merges;

    /// <summary>Special tokens; their ids are the last ones.</summary>
    public IReadOnlyList<string> SpecialTokens { get; } = specialTokens;

    /// <summary>Number of ids.</summary>
    public int VocabSize => Tokens.Count;

    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes tokenizer.json, vocab.json and merges.txt (with the <c>#version: 0.2</c> header), and the two files
    /// transformers' AutoTokenizer reads beside them, into
    /// <paramref name="directory"/>, creating it if needed.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllBytes(Path.Combine(directory, TokenizerDirectory.VocabJson), Json(w => WriteVocab(w), indented: false));
        var merges = new StringBuilder("#version: 0.2\n");
        foreach (var (left, right) in Merges) merges.Append(left).Append(' ').Append(right).Append('\n');
        AtomicFile.WriteAllText(Path.Combine(directory, TokenizerDirectory.MergesTxt), merges.ToString());
        AtomicFile.WriteAllBytes(Path.Combine(directory, TokenizerDirectory.TokenizerJson), Json(WriteTokenizerJson, indented: true));
        HfTokenizerConfig.Write(directory, SpecialTokens.Select(s => new SpecialToken(s, IndexOf(s))));
    }

    private void WriteTokenizerJson(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("version", "1.0");
        w.WriteNull("truncation");
        w.WriteNull("padding");
        w.WriteStartArray("added_tokens");
        foreach (string special in SpecialTokens)
        {
            w.WriteStartObject();
            w.WriteNumber("id", IndexOf(special));
            w.WriteString("content", special);
            w.WriteBoolean("single_word", false);
            w.WriteBoolean("lstrip", false);
            w.WriteBoolean("rstrip", false);
            w.WriteBoolean("normalized", false);
            w.WriteBoolean("special", true);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteNull("normalizer");
        WriteByteLevel(w, "pre_tokenizer", addPrefixSpace: false, trimOffsets: true);
        WriteByteLevel(w, "post_processor", addPrefixSpace: true, trimOffsets: false);
        WriteByteLevel(w, "decoder", addPrefixSpace: true, trimOffsets: true);
        w.WriteStartObject("model");
        w.WriteString("type", "BPE");
        w.WriteNull("dropout");
        w.WriteNull("unk_token");
        w.WriteString("continuing_subword_prefix", "");
        w.WriteString("end_of_word_suffix", "");
        w.WriteBoolean("fuse_unk", false);
        w.WriteBoolean("byte_fallback", false);
        w.WriteBoolean("ignore_merges", false);
        w.WritePropertyName("vocab");
        WriteVocab(w);
        w.WriteStartArray("merges");
        foreach (var (left, right) in Merges) w.WriteStringValue(left + " " + right);
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteByteLevel(Utf8JsonWriter w, string name, bool addPrefixSpace, bool trimOffsets)
    {
        w.WriteStartObject(name);
        w.WriteString("type", "ByteLevel");
        w.WriteBoolean("add_prefix_space", addPrefixSpace);
        w.WriteBoolean("trim_offsets", trimOffsets);
        w.WriteBoolean("use_regex", true);
        w.WriteEndObject();
    }

    private void WriteVocab(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        for (int id = 0; id < Tokens.Count; id++) w.WriteNumber(Tokens[id], id);
        w.WriteEndObject();
    }

    private int IndexOf(string token)
    {
        for (int id = Tokens.Count - 1; id >= 0; id--) if (Tokens[id] == token) return id;
        throw new InvalidOperationException($"'{token}' is not in the vocabulary");
    }

    private static byte[] Json(Action<Utf8JsonWriter> write, bool indented)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Compact with { Indented = indented })) write(writer);
        return buffer.ToArray();
    }
}
