namespace Myna.Apps.Recommendation;

/// <summary>
/// Recommendations for a history of catalogue ids, from a trained <see cref="SequenceModel"/>'s recommender (the hybrid
/// of model and transitions it was tuned with, or the model alone in an older folder): the next-item distribution
/// (softmax over the candidate items), best first, titled from the catalogue. Stateless: nothing about a caller is kept
/// between calls.
/// </summary>
public sealed class MovieRecommender(SequenceModel model, MovieCatalog catalog)
{
    /// <summary>The most items one call returns (100: a page of results, and the cost of the selection stays small).</summary>
    public const int MaxK = 100;

    /// <summary>The model.</summary>
    public SequenceModel Model => model;

    /// <summary>The titles.</summary>
    public MovieCatalog Catalog => catalog;

    /// <summary>The <paramref name="k"/> best next items after <paramref name="history"/> (catalogue ids, oldest first);
    /// with <paramref name="excludeSeen"/> the history's items are never recommended.</summary>
    /// <exception cref="ArgumentException">k is outside [1, <see cref="MaxK"/>], or a history id is not one of the model's items.</exception>
    public IReadOnlyList<RecommendedItem> Recommend(IReadOnlyList<int> history, int k, bool excludeSeen = true)
    {
        if (k < 1 || k > MaxK) throw new ArgumentException($"k must be between 1 and {MaxK}; it is {k}.", nameof(k));
        ItemVocabulary vocabulary = model.Vocabulary;
        var tokens = new int[history.Count];
        for (int i = 0; i < history.Count; i++)
        {
            tokens[i] = vocabulary.TokenOf(history[i]);
            if (tokens[i] < 0) throw new ArgumentException($"movie {history[i]} (history position {i + 1}) is not among the model's {vocabulary.Count} items.", nameof(history));
        }
        var scores = new float[vocabulary.Count];
        model.Recommender.Score([tokens.AsMemory()], scores);
        var masked = new bool[vocabulary.Count];
        if (excludeSeen)
        {
            foreach (int token in tokens) masked[token] = true;
        }
        // Softmax over the candidates, so scores read as the recommender's probability of each being next.
        float max = float.NegativeInfinity;
        for (int i = 0; i < scores.Length; i++)
        {
            if (!masked[i]) max = Math.Max(max, scores[i]);
        }
        double total = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            if (!masked[i]) total += Math.Exp(scores[i] - max);
        }
        var top = new int[Math.Min(k, vocabulary.Count)];
        int filled = RankingEvaluator.TopK(scores, masked, top);
        var result = new List<RecommendedItem>(filled);
        for (int t = 0; t < filled; t++)
        {
            int id = vocabulary.ItemId(top[t]);
            result.Add(new RecommendedItem(id, catalog.TitleOf(id), Math.Exp(scores[top[t]] - max) / total));
        }
        return result;
    }
}
