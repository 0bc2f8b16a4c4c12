using System.Text;

namespace Myna.Evaluation.Rouge;

/// <summary>
/// rouge-score's default tokenizer: lowercase, every run of characters other than a-z and 0-9 becomes a
/// separator, tokens longer than 3 characters are stemmed when a stemmer is given, empty tokens are dropped.
/// With <see cref="SplitCjk"/> (our extension, for Chinese and Japanese text that has no spaces) every CJK
/// character is a token of its own, and the rest of the text is tokenized as by default.
/// </summary>
public sealed class RougeTokenizer
{
    private readonly PorterStemmer? _stemmer;

    /// <summary>A tokenizer; <paramref name="useStemmer"/> applies NLTK's Porter stemmer as rouge-score does.</summary>
    public RougeTokenizer(bool useStemmer = false, bool splitCjk = false)
    {
        _stemmer = useStemmer ? new PorterStemmer() : null;
        SplitCjk = splitCjk;
    }

    /// <summary>Whether CJK characters become single-character tokens (the <c>zh</c> tokenization).</summary>
    public bool SplitCjk { get; }

    /// <summary>The tokens of <paramref name="text"/>.</summary>
    public List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        foreach (Rune rune in PythonText.Lower(text).EnumerateRunes())
        {
            if (rune.Value is (>= 'a' and <= 'z') or (>= '0' and <= '9'))
            {
                word.Append((char)rune.Value);
                continue;
            }
            Flush(word, tokens);
            if (SplitCjk && IsCjk(rune)) tokens.Add(rune.ToString());
        }
        Flush(word, tokens);
        return tokens;
    }

    private void Flush(StringBuilder word, List<string> tokens)
    {
        if (word.Length == 0) return;
        string token = word.ToString();
        word.Clear();
        // rouge-score stems only words of more than 3 characters.
        if (_stemmer is not null && token.Length > 3) token = _stemmer.Stem(token);
        if (token.Length > 0) tokens.Add(token);
    }

    /// <summary>Whether <paramref name="rune"/> is a CJK ideograph, kana or Hangul syllable (a token of its own
    /// under <c>--tokenize zh</c>).</summary>
    public static bool IsCjk(Rune rune) => rune.Value is
        (>= 0x3400 and <= 0x4DBF) // CJK Unified Ideographs Extension A
        or (>= 0x4E00 and <= 0x9FFF) // CJK Unified Ideographs
        or (>= 0xF900 and <= 0xFAFF) // CJK Compatibility Ideographs
        or (>= 0x3040 and <= 0x30FF) // Hiragana, Katakana
        or (>= 0x31F0 and <= 0x31FF) // Katakana Phonetic Extensions
        or (>= 0xAC00 and <= 0xD7AF) // Hangul Syllables
        or (>= 0x3005 and <= 0x3007) // 々 〆 〇
        or (>= 0x20000 and <= 0x3134F) // Extensions B to G
        or (>= 0x2F800 and <= 0x2FA1F); // CJK Compatibility Ideographs Supplement
}
