namespace Myna.Apps.Support;

/// <summary>
/// When the assistant hands a question to a person instead of answering: nothing matched, the best score is below
/// <see cref="MinScore"/>, or the best entry covers less than <see cref="MinCoverage"/> of the question. Thresholds
/// are chosen on the dev split by <see cref="Evaluation.HandoffTuning"/> (<c>myna support tune</c>), never on test.
/// </summary>
/// <param name="MinScore">The lowest best-entry score that is answered (in the retriever's own units).</param>
/// <param name="MinCoverage">The lowest coverage that is answered, in [0, 1].</param>
public sealed record HandoffPolicy(double MinScore, double MinCoverage)
{
    /// <summary>Whether a result with <paramref name="confidence"/> (and <paramref name="matches"/> ranked entries) is handed off.</summary>
    public bool ShouldHandOff(SupportConfidence confidence, int matches)
    {
        ArgumentNullException.ThrowIfNull(confidence);
        return matches == 0 || confidence.Score < MinScore || confidence.Coverage < MinCoverage;
    }
}
