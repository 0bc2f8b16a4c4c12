using Myna.Evaluation.Chrf;

namespace Myna.Evaluation.Significance;

/// <summary>chrF or chrF++ as a paired test sees it; a row is sacreBLEU's <c>[hyp, ref, match]</c> per order.</summary>
public sealed class ChrfCorpusMetric(ChrfScorer scorer) : ICorpusMetric
{
    /// <summary>The scorer behind the rows and scores.</summary>
    public ChrfScorer Scorer { get; } = scorer;

    /// <inheritdoc/>
    public string Name => Scorer.Name;

    /// <inheritdoc/>
    public IReadOnlyList<long[]> SegmentStatistics(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams) =>
        [.. Scorer.CorpusStatistics(hypotheses, referenceStreams).Select(s => s.Values)];

    /// <inheritdoc/>
    public double Score(ReadOnlySpan<long> summed) => ChrfScorer.FScore(summed, Scorer.Options.Beta, Scorer.Options.EpsSmoothing);

    /// <inheritdoc/>
    public double ResampleScore(ReadOnlySpan<float> summed) =>
        ChrfScorer.ResampleFScore(summed, Scorer.Options.Beta, Scorer.Options.EpsSmoothing);

    /// <inheritdoc/>
    public string Signature(int referenceCount) => Scorer.Signature(referenceCount);
}
