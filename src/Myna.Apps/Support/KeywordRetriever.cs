using Myna.Text.Nlp;

namespace Myna.Apps.Support;

/// <summary>
/// The keyword baseline: TF-IDF cosine between the query and each entry's question and answer taken as one text, with
/// <see cref="TfIdfKeywords"/>' words (stop words removed, no stemming) and smoothed IDF learned from the entries of
/// the language. No fields, no length normalisation beyond the cosine: what BM25 must beat.
/// </summary>
public sealed class KeywordRetriever : IFaqRetriever
{
    private readonly Dictionary<string, LanguageVectors> _languages = [];

    /// <summary>Learns IDF and entry vectors per language from <paramref name="knowledgeBase"/>.</summary>
    public KeywordRetriever(FaqKnowledgeBase knowledgeBase)
    {
        ArgumentNullException.ThrowIfNull(knowledgeBase);
        foreach (IGrouping<string, FaqEntry> language in knowledgeBase.Entries.GroupBy(e => e.Lang))
            _languages[language.Key] = LanguageVectors.Build([.. language]);
    }

    /// <inheritdoc />
    public string Name => "keyword";

    /// <inheritdoc />
    public IReadOnlyList<RetrievedEntry> Search(string query, string lang, int top)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        LanguageVectors vectors = _languages.GetValueOrDefault(lang) ?? _languages.Values.First();
        Dictionary<string, double> q = vectors.Vector(query);
        if (q.Count == 0) return [];
        var scored = new List<RetrievedEntry>();
        for (int i = 0; i < vectors.Entries.Count; i++)
        {
            double dot = 0;
            foreach ((string word, double weight) in q)
                if (vectors.Documents[i].TryGetValue(word, out double d)) dot += weight * d;
            if (dot > 0) scored.Add(new RetrievedEntry(vectors.Entries[i].Id, vectors.Entries[i].Question, dot));
        }
        // Ties (same cosine) keep file order, so rankings are deterministic.
        return [.. scored.OrderByDescending(r => r.Score).Take(top)];
    }

    /// <summary>One language's IDF and unit-length entry vectors.</summary>
    private sealed class LanguageVectors(TfIdfKeywords idf, WordTokenizer tokenizer, IReadOnlyList<FaqEntry> entries)
    {
        public IReadOnlyList<FaqEntry> Entries => entries;

        public List<Dictionary<string, double>> Documents { get; } = [];

        public static LanguageVectors Build(IReadOnlyList<FaqEntry> entries)
        {
            var tokenizer = new WordTokenizer();
            string[] texts = [.. entries.Select(e => e.Question + "\n" + e.Answer)];
            var vectors = new LanguageVectors(TfIdfKeywords.Fit(texts, tokenizer), tokenizer, entries);
            foreach (string text in texts) vectors.Documents.Add(vectors.Vector(text));
            return vectors;
        }

        /// <summary>Term count × IDF for each word of <paramref name="text"/>, scaled to unit length (empty when it has no words).</summary>
        public Dictionary<string, double> Vector(string text)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (string word in tokenizer.Tokenize(text)) counts[word] = counts.GetValueOrDefault(word) + 1;
            Dictionary<string, double> weights = counts.ToDictionary(c => c.Key, c => c.Value * idf.Idf(c.Key), StringComparer.Ordinal);
            double norm = Math.Sqrt(weights.Values.Sum(v => v * v));
            return weights.ToDictionary(w => w.Key, w => w.Value / norm, StringComparer.Ordinal);
        }
    }
}
