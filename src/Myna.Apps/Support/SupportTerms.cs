using Myna.Text.Nlp;

namespace Myna.Apps.Support;

/// <summary>
/// The terms the BM25 index and its queries are made of: English words lower-cased, without stop words and
/// Porter-stemmed; Chinese segmented by jieba (<see cref="ChineseSegmenter"/>) without stop words, the Latin words in
/// it treated as English. Analysis happens here once, so the index, the queries and the hand-off coverage agree.
/// </summary>
public static class SupportTerms
{
    private static readonly WordTokenizer Tokenizer = new(stemEnglish: true, removeStopWords: true);

    /// <summary>Prefix of the character-pair terms, so a pair never collides with jieba's two-character word.</summary>
    public const string PairPrefix = "#";

    /// <summary>The terms of <paramref name="text"/>, in order, repeats kept.</summary>
    public static IReadOnlyList<string> Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Tokenizer.Tokenize(text);
    }

    /// <summary>The terms of <paramref name="text"/>, then (with <paramref name="characterPairs"/>) every pair of
    /// neighbouring Han characters, prefixed with <see cref="PairPrefix"/>.</summary>
    public static IReadOnlyList<string> Analyze(string text, bool characterPairs)
    {
        IReadOnlyList<string> words = Analyze(text);
        if (!characterPairs) return words;
        var terms = new List<string>(words);
        for (int i = 0; i + 1 < text.Length; i++)
            if (Myna.Text.Cleaning.LanguageId.IsHan(text[i]) && Myna.Text.Cleaning.LanguageId.IsHan(text[i + 1]))
                terms.Add(PairPrefix + text.Substring(i, 2));
        return terms;
    }
}
