namespace Myna.Apps.Recommendation;

/// <summary>Means over users of hit rate and NDCG at the cut-off, and the mean reciprocal rank (no cut-off).</summary>
public sealed record RankingMetrics(double HitRate, double Ndcg, double Mrr)
{
    /// <summary>NDCG of one held-out item at 0-based <paramref name="rank"/>: 1/log2(rank + 2) inside the cut-off, else 0.</summary>
    public static double NdcgAt(int rank, int cutoff) => rank < cutoff ? 1.0 / Math.Log2(rank + 2) : 0;
}
