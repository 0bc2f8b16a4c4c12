namespace Myna.Apps.Recommendation;

/// <summary>Scores every item for several users at once, from each user's history of item tokens (oldest first).</summary>
public interface ISequentialRecommender
{
    /// <summary>The name reports use.</summary>
    string Name { get; }

    /// <summary>Writes one row of item scores per history into <paramref name="scores"/> (histories.Count, items);
    /// higher is better. Masking seen items is the caller's job.</summary>
    void Score(IReadOnlyList<ReadOnlyMemory<int>> histories, Span<float> scores);
}
