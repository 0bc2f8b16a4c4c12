namespace Myna.Evaluation.Significance;

/// <summary>
/// A corpus metric as a paired test sees it (sacreBLEU's <c>Metric</c>): per-segment sufficient statistics that
/// add up over a corpus, and the score of a sum. Resampling then only re-adds rows.
/// </summary>
public interface ICorpusMetric
{
    /// <summary>The score's name as sacreBLEU prints it (<c>BLEU</c>, <c>chrF2</c>, <c>chrF2++</c>).</summary>
    string Name { get; }

    /// <summary>The statistics of every segment, one row each, in sacreBLEU's layout.</summary>
    /// <exception cref="ArgumentException">No reference stream, or one whose length differs from the hypotheses'.</exception>
    IReadOnlyList<long[]> SegmentStatistics(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams);

    /// <summary>The score of summed statistics, as sacreBLEU computes it from Python integers.</summary>
    double Score(ReadOnlySpan<long> summed);

    /// <summary>The score of a bootstrap resample's sums, as sacreBLEU computes it from the float32 NumPy array it
    /// sums resamples in (NumPy 1.x promotion rules; see <see cref="PairedBootstrap"/>).</summary>
    double ResampleScore(ReadOnlySpan<float> summed);

    /// <summary>The metric's sacreBLEU signature for <paramref name="referenceCount"/> references.</summary>
    string Signature(int referenceCount);
}
