namespace Myna.Evaluation.Bleu;

/// <summary>A BLEU score with what it was computed from, as sacreBLEU's <c>BLEUScore</c>.</summary>
/// <param name="Score">BLEU on sacreBLEU's 0..100 scale.</param>
/// <param name="Counts">Matched n-grams per order (the statistics as counted, before any add-k smoothing).</param>
/// <param name="Totals">Hypothesis n-grams per order (as counted, before any add-k smoothing).</param>
/// <param name="Precisions">Smoothed n-gram precisions per order, in percent.</param>
/// <param name="BrevityPenalty">exp(1 - ref/sys) when the hypothesis is shorter, else 1; 0 for an empty one.</param>
/// <param name="SysLen">Hypothesis tokens.</param>
/// <param name="RefLen">Reference tokens.</param>
public sealed record BleuScore(
    double Score, long[] Counts, long[] Totals, double[] Precisions, double BrevityPenalty, long SysLen, long RefLen)
{
    /// <summary>Hypothesis length over reference length (0 when there is no reference text).</summary>
    public double Ratio => RefLen == 0 ? 0 : (double)SysLen / RefLen;
}
