namespace Myna.Apps.Recommendation;

/// <summary>One recommended item: its catalogue id, title (null when the catalogue has none) and the model's
/// probability for it among the candidates.</summary>
public sealed record RecommendedItem(int Id, string? Title, double Score);
