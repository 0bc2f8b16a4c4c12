namespace Myna.Apps.Support;

/// <summary>
/// BM25 with the keyword retriever's evidence added: each entry either ranks in its top <see cref="CandidateDepth"/>
/// scores its BM25 score plus <c>weight × cosine</c> (0 for a list it is missing from). The two disagree usefully on
/// paraphrases: BM25 stems and weighs fields, the TF-IDF cosine keeps whole words and normalises by the whole entry.
/// The sum stays on BM25's scale, so hand-off features read it as they read BM25. The weight per language
/// (<see cref="Bm25Settings.KeywordWeight"/>) is chosen on dev; at 0 this is BM25 alone.
/// </summary>
public sealed class HybridRetriever : IFaqRetriever, IDisposable
{
    /// <summary>Entries taken from each list before they are combined. 50: far deeper than the 10 ranked.</summary>
    public const int CandidateDepth = 50;

    private readonly Bm25Retriever _bm25;
    private readonly IFaqRetriever _keyword;
    private readonly PerLanguage<double> _keywordWeight;

    /// <summary>Indexes <paramref name="knowledgeBase"/> and <paramref name="queryLog"/> for BM25 with <paramref name="settings"/>,
    /// and adds <paramref name="keyword"/>'s cosine at each language's <see cref="Bm25Settings.KeywordWeight"/>.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public HybridRetriever(FaqKnowledgeBase knowledgeBase, PerLanguage<Bm25Settings> settings, KeywordRetriever keyword, QueryLog? queryLog = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _keyword = keyword ?? throw new ArgumentNullException(nameof(keyword));
        _bm25 = new Bm25Retriever(knowledgeBase, settings, queryLog);
        _keywordWeight = settings.Select(s => (double)s.KeywordWeight);
    }

    /// <inheritdoc />
    public string Name => _bm25.Name;

    /// <inheritdoc />
    public IReadOnlyList<RetrievedEntry> Search(string query, string lang, int top)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(top);
        double weight = _keywordWeight.For(lang);
        IReadOnlyList<RetrievedEntry> bm25 = _bm25.Search(query, lang, weight == 0 ? top : Math.Max(top, CandidateDepth));
        if (weight == 0) return bm25;
        var combined = new Dictionary<string, RetrievedEntry>(StringComparer.Ordinal);
        foreach (RetrievedEntry entry in bm25) combined[entry.Id] = entry;
        foreach (RetrievedEntry entry in _keyword.Search(query, lang, CandidateDepth))
            combined[entry.Id] = combined.TryGetValue(entry.Id, out RetrievedEntry? found)
                ? found with { Score = found.Score + weight * entry.Score }
                : entry with { Score = weight * entry.Score };
        // Ties keep BM25's order, then the keyword list's.
        return [.. combined.Values.OrderByDescending(e => e.Score).Take(top)];
    }

    /// <inheritdoc />
    public void Dispose() => _bm25.Dispose();
}
