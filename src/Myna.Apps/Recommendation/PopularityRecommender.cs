namespace Myna.Apps.Recommendation;

/// <summary>The popularity baseline: every user gets the items most often met in training.</summary>
public sealed class PopularityRecommender(IReadOnlyList<int> trainCounts) : ISequentialRecommender
{
    /// <inheritdoc />
    public string Name => "popularity";

    /// <inheritdoc />
    public void Score(IReadOnlyList<ReadOnlyMemory<int>> histories, Span<float> scores)
    {
        int items = trainCounts.Count;
        for (int u = 0; u < histories.Count; u++)
        {
            Span<float> row = scores.Slice(u * items, items);
            for (int i = 0; i < items; i++) row[i] = trainCounts[i];
        }
    }
}
