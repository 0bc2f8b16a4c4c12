using System.Text;

namespace Myna.Evaluation.Chrf;

/// <summary>
/// The n-gram counting of sacreBLEU's <c>metrics/helpers.py</c> and <c>CHRF._remove_punctuation</c>. Python slices
/// strings by code point, so character n-grams here are runs of code points (a character outside the BMP is one
/// character, as in Python), never of UTF-16 units.
/// </summary>
internal static class ChrfNgrams
{
    // Python's string.punctuation, the set chrF++ splits off the ends of words.
    private const string AsciiPunctuation = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    /// <summary>Counts of character n-grams of orders 1..<paramref name="maxOrder"/> (index n-1), white space
    /// removed first unless <paramref name="includeWhitespace"/> (<c>extract_all_char_ngrams</c>).</summary>
    public static Dictionary<string, int>[] CharNgrams(string line, int maxOrder, bool includeWhitespace)
    {
        if (!includeWhitespace) line = string.Concat(PythonText.Split(line));

        // Offsets of the code points, plus the end: an n-gram is line[starts[i] .. starts[i + n]).
        var starts = new List<int>(line.Length + 1);
        for (int i = 0; i < line.Length;)
        {
            starts.Add(i);
            Rune.DecodeFromUtf16(line.AsSpan(i), out _, out int used);
            i += used;
        }
        int length = starts.Count;
        starts.Add(line.Length);

        var counters = new Dictionary<string, int>[maxOrder];
        for (int n = 1; n <= maxOrder; n++)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i + n <= length; i++)
            {
                string ngram = line[starts[i]..starts[i + n]];
                counts[ngram] = counts.TryGetValue(ngram, out int c) ? c + 1 : 1;
            }
            counters[n - 1] = counts;
        }
        return counters;
    }

    /// <summary>Counts of word n-grams of order <paramref name="n"/>, keyed by the words joined with single spaces
    /// (<c>extract_word_ngrams</c>).</summary>
    public static Dictionary<string, int> WordNgrams(IReadOnlyList<string> words, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= words.Count; i++)
        {
            string ngram = n == 1 ? words[i] : string.Join(' ', Enumerable.Range(i, n).Select(k => words[k]));
            counts[ngram] = counts.TryGetValue(ngram, out int c) ? c + 1 : 1;
        }
        return counts;
    }

    /// <summary>
    /// chrF++'s word splitting (<c>CHRF._remove_punctuation</c>): white-space words, with one ASCII punctuation
    /// mark split off the end of a word, or else off its start. A one-character word stays whole. As in sacreBLEU
    /// (its issue #124), "(hi)" gives "(hi" and ")".
    /// </summary>
    public static List<string> SplitPunctuation(string sentence)
    {
        var words = new List<string>();
        foreach (string w in PythonText.Split(sentence))
        {
            // Punctuation is ASCII, so a last or first UTF-16 unit that is punctuation is the whole code point; a
            // single astral character (two units) is neither and stays whole either way.
            if (w.Length == 1)
            {
                words.Add(w);
            }
            else if (AsciiPunctuation.Contains(w[^1], StringComparison.Ordinal))
            {
                words.Add(w[..^1]);
                words.Add(w[^1..]);
            }
            else if (AsciiPunctuation.Contains(w[0], StringComparison.Ordinal))
            {
                words.Add(w[..1]);
                words.Add(w[1..]);
            }
            else
            {
                words.Add(w);
            }
        }
        return words;
    }
}
