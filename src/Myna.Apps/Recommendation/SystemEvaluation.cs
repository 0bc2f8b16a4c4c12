namespace Myna.Apps.Recommendation;

/// <summary>One recommender's figures on a split.</summary>
/// <param name="Name">The recommender.</param>
/// <param name="Full">Ranked against every item the user has not met.</param>
/// <param name="Sampled">Ranked against the same sampled negatives for every recommender.</param>
/// <param name="Coverage">Share of the catalogue that appears in at least one user's top list.</param>
/// <param name="LongTailShare">Share of top-list slots filled by long-tail items (outside the head that holds most training interactions).</param>
/// <param name="PerUserNdcg">Full-ranking NDCG of each user, in the dataset's user order (for the paired bootstrap).</param>
public sealed record SystemEvaluation(string Name, RankingMetrics Full, RankingMetrics Sampled, double Coverage, double LongTailShare, double[] PerUserNdcg);
