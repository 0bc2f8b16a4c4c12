using System.Text.Json;
using Myna.Text.Tokenization;

namespace Myna.Tests.Text.Tokenization;

/// <summary>
/// Writes GPT-2 as Hugging Face files (vocab.json + merges.txt, and tokenizer.json) from the built-in tiktoken
/// ranks, so directory loading is checked against the built-in tokenizer on the real 50k vocabulary, and the
/// vocabulary export is checked by the same comparison.
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

        // vocab.json + merges.txt as Myna exports GPT-2 (merges recovered from the tiktoken ranks).
        var vocabulary = GptTokenizer.Gpt2().ExportVocabulary();
        vocabulary.Save(VocabMergesDirectory);
        File.Delete(Path.Combine(VocabMergesDirectory, "tokenizer.json"));

        // tokenizer.json in the newer HF form, written here independently: merges as [left, right] pairs.
        var vocab = new Dictionary<string, int>();
        for (int id = 0; id < vocabulary.Tokens.Count; id++) vocab[vocabulary.Tokens[id]] = id;
        int endOfText = vocab[GptTokenizer.EndOfText];
        var tokenizerJson = new
        {
            version = "1.0",
            added_tokens = new[] { new { id = endOfText, content = GptTokenizer.EndOfText, single_word = false, lstrip = false, rstrip = false, normalized = true, special = true } },
            normalizer = (object?)null,
            pre_tokenizer = new { type = "ByteLevel", add_prefix_space = false, trim_offsets = true, use_regex = true },
            decoder = new { type = "ByteLevel", add_prefix_space = true, trim_offsets = true, use_regex = true },
            model = new { type = "BPE", dropout = (object?)null, unk_token = (object?)null, continuing_subword_prefix = "", end_of_word_suffix = "", fuse_unk = false, byte_fallback = false, vocab, merges = vocabulary.Merges.Select(m => new[] { m.Left, m.Right }) },
        };
        File.WriteAllText(Path.Combine(TokenizerJsonDirectory, "tokenizer.json"), JsonSerializer.Serialize(tokenizerJson));
    }

    private readonly Dictionary<Type, object> _shared = [];

    /// <summary>One instance per fixture of something costly to build (e.g. a loaded 50k-token tokenizer), made on first use.</summary>
    public T Shared<T>(Func<T> create) where T : notnull
    {
        lock (_shared)
        {
            if (!_shared.TryGetValue(typeof(T), out object? value)) _shared[typeof(T)] = value = create();
            return (T)value;
        }
    }

    public string Root { get; }
    public string VocabMergesDirectory { get; }
    public string TokenizerJsonDirectory { get; }

    public void Dispose()
    {
        foreach (object value in _shared.Values)
        {
            if (value is IDisposable disposable) disposable.Dispose();
            else if (value is System.Runtime.CompilerServices.ITuple tuple)
                for (int i = 0; i < tuple.Length; i++) (tuple[i] as IDisposable)?.Dispose();
        }
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}
