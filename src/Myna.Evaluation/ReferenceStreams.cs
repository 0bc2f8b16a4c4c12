namespace Myna.Evaluation;

/// <summary>
/// sacreBLEU's <c>_extract_corpus_statistics</c>, shared by its corpus metrics: reference streams (one reference per
/// hypothesis each) turned into each hypothesis's list of references, and a metric's segment statistics taken per
/// hypothesis, in order.
/// </summary>
internal static class ReferenceStreams
{
    /// <summary>The statistics of every segment, <paramref name="segment"/> scoring one hypothesis against its references.</summary>
    /// <exception cref="ArgumentException">No reference stream, or a stream whose length differs from the hypotheses'.</exception>
    public static TStatistics[] Segments<TStatistics>(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams,
        Func<string, IReadOnlyList<string>, TStatistics> segment)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(referenceStreams);
        if (referenceStreams.Count == 0) throw new ArgumentException("at least one reference stream is needed", nameof(referenceStreams));
        for (int r = 0; r < referenceStreams.Count; r++)
        {
            if (referenceStreams[r].Count != hypotheses.Count)
                throw new ArgumentException(
                    $"reference stream {r + 1} has {referenceStreams[r].Count} segments but there are {hypotheses.Count} hypotheses",
                    nameof(referenceStreams));
        }
        var stats = new TStatistics[hypotheses.Count];
        var references = new string[referenceStreams.Count];
        for (int i = 0; i < hypotheses.Count; i++)
        {
            for (int r = 0; r < references.Length; r++) references[r] = referenceStreams[r][i];
            stats[i] = segment(hypotheses[i], references);
        }
        return stats;
    }
}
