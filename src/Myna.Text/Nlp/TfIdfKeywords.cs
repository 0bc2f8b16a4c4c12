namespace Myna.Text.Nlp;

/// <summary>TF-IDF keyword extraction: a word's weight in a document is its relative frequency there times its inverse
/// document frequency, log((1 + N) / (1 + df)) + 1 (scikit-learn's smoothed form), learned from a collection.
/// Words never seen in the collection get the median IDF (jieba's rule), so a new term is neither ignored nor inflated.</summary>
public sealed class TfIdfKeywords
{
    private readonly WordTokenizer _tokenizer;
    private readonly Dictionary<string, double> _idf;
    private readonly double _unknownIdf;

    private TfIdfKeywords(WordTokenizer tokenizer, Dictionary<string, double> idf)
    {
        _tokenizer = tokenizer;
        _idf = idf;
        double[] values = [.. idf.Values.Order()];
        _unknownIdf = values.Length == 0 ? 1 : values[values.Length / 2];
    }

    /// <summary>Number of documents the IDF was learned from.</summary>
    public int DocumentCount { get; private init; }

    /// <summary>Learns IDF from <paramref name="documents"/> (stop words removed, English not stemmed by default).</summary>
    public static TfIdfKeywords Fit(IEnumerable<string> documents, WordTokenizer? tokenizer = null)
    {
        tokenizer ??= new WordTokenizer();
        var df = new Dictionary<string, int>(StringComparer.Ordinal);
        int n = 0;
        foreach (string document in documents)
        {
            n++;
            foreach (string word in tokenizer.Tokenize(document).Distinct()) df[word] = df.GetValueOrDefault(word) + 1;
        }
        var idf = df.ToDictionary(kv => kv.Key, kv => Math.Log((1.0 + n) / (1.0 + kv.Value)) + 1.0, StringComparer.Ordinal);
        return new TfIdfKeywords(tokenizer, idf) { DocumentCount = n };
    }

    /// <summary>Inverse document frequency of <paramref name="word"/> (the median for unseen words).</summary>
    public double Idf(string word) => _idf.TryGetValue(word, out double idf) ? idf : _unknownIdf;

    /// <summary>The <paramref name="top"/> highest-weighted words of <paramref name="text"/>, best first; ties broken
    /// by the word (ordinal) so results are deterministic. Single Latin letters and digits-only tokens are not keywords.</summary>
    public IReadOnlyList<(string Word, double Weight)> Extract(string text, int top = 10)
    {
        List<string> words = _tokenizer.Tokenize(text).Where(IsKeywordCandidate).ToList();
        if (words.Count == 0) return [];
        return words.GroupBy(w => w, StringComparer.Ordinal)
            .Select(g => (Word: g.Key, Weight: (double)g.Count() / words.Count * Idf(g.Key)))
            .OrderByDescending(k => k.Weight).ThenBy(k => k.Word, StringComparer.Ordinal)
            .Take(top).ToList();
    }

    private static bool IsKeywordCandidate(string word) => word.Length > 1 && !word.All(c => char.IsDigit(c) || c is '.' or ',');
}
