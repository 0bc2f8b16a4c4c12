using Myna.Evaluation.Bleu;

namespace Myna.Evaluation.Significance;

/// <summary>BLEU as a paired test sees it; a row is sacreBLEU's <c>[sys_len, ref_len, correct_1..N, total_1..N]</c>.</summary>
public sealed class BleuCorpusMetric(BleuScorer scorer) : ICorpusMetric
{
    /// <summary>The scorer behind the rows and scores.</summary>
    public BleuScorer Scorer { get; } = scorer;

    /// <inheritdoc/>
    public string Name => "BLEU";

    /// <inheritdoc/>
    public IReadOnlyList<long[]> SegmentStatistics(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams) =>
        [.. Scorer.CorpusStatistics(hypotheses, referenceStreams).Select(s => (long[])[s.SysLen, s.RefLen, .. s.Correct, .. s.Total])];

    /// <inheritdoc/>
    public double Score(ReadOnlySpan<long> summed)
    {
        int order = Scorer.Options.MaxNgramOrder;
        var stats = new BleuStatistics(summed[0], summed[1], summed.Slice(2, order).ToArray(), summed.Slice(2 + order, order).ToArray());
        return Scorer.Compute(stats).Score;
    }

    /// <inheritdoc/>
    /// <remarks>Under NumPy 1.x every operation of <c>compute_bleu</c> on the float32 counts promotes to float64, and
    /// float32 sums of whole numbers are whole numbers: the score is that of the same counts as integers.</remarks>
    public double ResampleScore(ReadOnlySpan<float> summed)
    {
        Span<long> whole = stackalloc long[summed.Length];
        for (int i = 0; i < summed.Length; i++) whole[i] = (long)summed[i];
        return Score(whole);
    }

    /// <inheritdoc/>
    public string Signature(int referenceCount) => Scorer.Signature(referenceCount);
}
