namespace Myna.Apps.Recommendation;

/// <summary>
/// The item-to-item baseline: a first-order Markov chain on the last item. Items that followed the user's last item in
/// training rank by that count; popularity orders the rest (and everything, when the last item was never followed).
/// </summary>
public sealed class MarkovRecommender : ISequentialRecommender
{
    private readonly TransitionTable _transitions;
    private readonly float _popularityScale;

    /// <summary>Counts the transitions inside every user's training part.</summary>
    public MarkovRecommender(SequentialDataset data) : this(TransitionTable.FromTraining(data))
    {
    }

    /// <summary>The baseline over transitions already counted.</summary>
    public MarkovRecommender(TransitionTable transitions)
    {
        _transitions = transitions;
        // Popularity scaled below 1, so one observed transition outranks any popularity.
        _popularityScale = 1f / (transitions.Items == 0 ? 1 : transitions.Counts.Max() + 1);
    }

    /// <inheritdoc />
    public string Name => "markov";

    /// <inheritdoc />
    public void Score(IReadOnlyList<ReadOnlyMemory<int>> histories, Span<float> scores)
    {
        int items = _transitions.Items;
        IReadOnlyList<int> popularity = _transitions.Counts;
        for (int u = 0; u < histories.Count; u++)
        {
            Span<float> row = scores.Slice(u * items, items);
            for (int i = 0; i < items; i++) row[i] = popularity[i] * _popularityScale;
            ReadOnlySpan<int> history = histories[u].Span;
            if (history.Length == 0 || _transitions.Followers(history[^1]) is not { } next) continue;
            foreach ((int item, int count) in next) row[item] += count;
        }
    }
}
