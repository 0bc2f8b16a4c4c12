namespace Myna.Apps.Support;

/// <summary>
/// How much of a question an entry covers: the IDF-weighted share of the query's distinct terms
/// (<see cref="SupportTerms"/>) that occur in the entry's question or answer. A term no entry has gets the largest IDF,
/// so "How do I cancel my Netflix subscription?" is mostly uncovered by any Debian entry even where "subscription"
/// matches one. Unlike a BM25 score it does not grow with the query's length, which makes it a hand-off signal.
/// </summary>
public sealed class QueryCoverage
{
    private readonly Dictionary<string, Dictionary<string, HashSet<string>>> _termsById = [];
    private readonly Dictionary<string, Dictionary<string, double>> _idf = [];
    private readonly Dictionary<string, double> _unseenIdf = [];

    /// <summary>Learns each language's entry terms and IDF, log((1 + N) / (1 + df)) + 1, from <paramref name="knowledgeBase"/>.</summary>
    public QueryCoverage(FaqKnowledgeBase knowledgeBase)
    {
        ArgumentNullException.ThrowIfNull(knowledgeBase);
        foreach (IGrouping<string, FaqEntry> language in knowledgeBase.Entries.GroupBy(e => e.Lang))
        {
            var terms = language.ToDictionary(e => e.Id, e => SupportTerms.Analyze(e.Question + "\n" + e.Answer).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
            int n = terms.Count;
            var df = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (HashSet<string> entryTerms in terms.Values)
                foreach (string term in entryTerms) df[term] = df.GetValueOrDefault(term) + 1;
            _termsById[language.Key] = terms;
            _idf[language.Key] = df.ToDictionary(d => d.Key, d => Math.Log((1.0 + n) / (1.0 + d.Value)) + 1.0, StringComparer.Ordinal);
            _unseenIdf[language.Key] = Math.Log(1.0 + n) + 1.0;
        }
    }

    /// <summary>The covered share of <paramref name="query"/>'s terms by entry <paramref name="id"/> in <paramref name="lang"/>, in [0, 1]; 0 for a query without terms or an unknown entry.</summary>
    public double Of(string query, string id, string lang)
    {
        if (!_termsById.ContainsKey(lang)) lang = _termsById.Keys.First();
        if (!_termsById[lang].TryGetValue(id, out HashSet<string>? entryTerms)) return 0;
        double covered = 0, total = 0;
        foreach (string term in SupportTerms.Analyze(query).Distinct(StringComparer.Ordinal))
        {
            double weight = _idf[lang].GetValueOrDefault(term, _unseenIdf[lang]);
            total += weight;
            if (entryTerms.Contains(term)) covered += weight;
        }
        return total == 0 ? 0 : covered / total;
    }
}
