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

    /// <summary>The terms of <paramref name="text"/>, in order, repeats kept.</summary>
    public static IReadOnlyList<string> Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Tokenizer.Tokenize(text);
    }
}
