namespace Myna.Evaluation.Chrf;

/// <summary>
/// chrF's sufficient statistics for a segment or a corpus (the sum over its segments), in sacreBLEU's layout: for
/// each order — character orders 1..nc, then word orders 1..nw — the hypothesis n-grams, the reference n-grams and
/// the matched n-grams, flattened as <c>[hyp1, ref1, match1, hyp2, ...]</c>.
/// </summary>
/// <param name="Values">Three counts per order.</param>
public sealed record ChrfStatistics(long[] Values)
{
    /// <summary>Zero statistics for <paramref name="totalOrder"/> orders.</summary>
    public static ChrfStatistics Zero(int totalOrder) => new(new long[3 * totalOrder]);

    /// <summary>The number of orders.</summary>
    public int Orders => Values.Length / 3;

    /// <summary>Hypothesis n-grams of order index <paramref name="i"/> (0 for character unigrams); 0 when the
    /// reference has none of that order, as sacreBLEU counts them.</summary>
    public long Hypothesis(int i) => Values[3 * i];

    /// <summary>Reference n-grams of order index <paramref name="i"/>.</summary>
    public long Reference(int i) => Values[3 * i + 1];

    /// <summary>Matched n-grams (clipped by the reference count) of order index <paramref name="i"/>.</summary>
    public long Match(int i) => Values[3 * i + 2];

    /// <summary>The element-wise sum (sacreBLEU's <c>sum_of_lists</c>).</summary>
    /// <exception cref="ArgumentException">Statistics of a different number of orders.</exception>
    public ChrfStatistics Add(ChrfStatistics other)
    {
        if (other.Values.Length != Values.Length)
            throw new ArgumentException("statistics of different n-gram orders cannot be added", nameof(other));
        var sum = new long[Values.Length];
        for (int i = 0; i < sum.Length; i++) sum[i] = Values[i] + other.Values[i];
        return new ChrfStatistics(sum);
    }
}
