namespace Myna.Apps.Recommendation;

/// <summary>
/// The item-to-item baseline: a first-order Markov chain on the last item. Items that followed the user's last item in
/// training rank by that count; popularity orders the rest (and everything, when the last item was never followed).
/// </summary>
public sealed class MarkovRecommender : ISequentialRecommender
{
    private readonly Dictionary<int, Dictionary<int, int>> _next = [];
    private readonly IReadOnlyList<int> _popularity;
    private readonly float _popularityScale;

    /// <summary>Counts the transitions inside every user's training part.</summary>
    public MarkovRecommender(SequentialDataset data)
    {
        _popularity = data.TrainCounts;
        foreach (UserSequence user in data.Users)
        {
            ReadOnlySpan<int> train = user.Train;
            for (int i = 1; i < train.Length; i++)
            {
                if (!_next.TryGetValue(train[i - 1], out Dictionary<int, int>? row)) _next[train[i - 1]] = row = [];
                row[train[i]] = row.GetValueOrDefault(train[i]) + 1;
            }
        }
        // Popularity scaled below 1, so one observed transition outranks any popularity.
        _popularityScale = 1f / (_popularity.Count == 0 ? 1 : _popularity.Max() + 1);
    }

    /// <inheritdoc />
    public string Name => "markov";

    /// <inheritdoc />
    public void Score(IReadOnlyList<ReadOnlyMemory<int>> histories, Span<float> scores)
    {
        int items = _popularity.Count;
        for (int u = 0; u < histories.Count; u++)
        {
            Span<float> row = scores.Slice(u * items, items);
            for (int i = 0; i < items; i++) row[i] = _popularity[i] * _popularityScale;
            ReadOnlySpan<int> history = histories[u].Span;
            if (history.Length == 0 || !_next.TryGetValue(history[^1], out Dictionary<int, int>? next)) continue;
            foreach ((int item, int count) in next) row[item] += count;
        }
    }
}
