namespace Myna.Evaluation.Bleu;

/// <summary>
/// BLEU's sufficient statistics for a segment or a corpus (the sum over its segments): hypothesis length, the
/// closest reference length, and for each order n the matched and total hypothesis n-grams.
/// </summary>
/// <param name="SysLen">Hypothesis tokens.</param>
/// <param name="RefLen">Reference tokens (per segment, the reference length closest to the hypothesis').</param>
/// <param name="Correct">Clipped n-gram matches, index n-1 for order n.</param>
/// <param name="Total">Hypothesis n-grams, index n-1 for order n.</param>
public sealed record BleuStatistics(long SysLen, long RefLen, long[] Correct, long[] Total)
{
    /// <summary>Zero statistics for <paramref name="maxOrder"/> orders.</summary>
    public static BleuStatistics Zero(int maxOrder) => new(0, 0, new long[maxOrder], new long[maxOrder]);

    /// <summary>The element-wise sum (sacreBLEU's <c>sum_of_lists</c>).</summary>
    public BleuStatistics Add(BleuStatistics other)
    {
        if (other.Correct.Length != Correct.Length)
            throw new ArgumentException("statistics of different n-gram orders cannot be added", nameof(other));
        var correct = new long[Correct.Length];
        var total = new long[Total.Length];
        for (int i = 0; i < correct.Length; i++)
        {
            correct[i] = Correct[i] + other.Correct[i];
            total[i] = Total[i] + other.Total[i];
        }
        return new BleuStatistics(SysLen + other.SysLen, RefLen + other.RefLen, correct, total);
    }
}
