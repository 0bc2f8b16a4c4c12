namespace Myna.Apps.Recommendation;

/// <summary>One recommended item: its catalogue id, title (null when the catalogue has none) and the recommender's
/// probability for it among the candidates (the hybrid's, model and transitions together, in a folder that has one).</summary>
public sealed record RecommendedItem(int Id, string? Title, double Score);
