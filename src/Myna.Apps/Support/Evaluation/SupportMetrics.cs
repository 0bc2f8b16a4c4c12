namespace Myna.Apps.Support.Evaluation;

/// <summary>
/// The support metrics over a set of outcomes. Retrieval metrics (hit@k, MRR@10, ROUGE-L) are over the answerable
/// questions and judge the ranking whatever the hand-off decision; hand-off metrics take hand-off as the positive
/// class; the correct-action rate joins both (answered from a right entry, or handed off when out of scope).
/// A value with no question to measure it on is null.
/// </summary>
/// <param name="Questions">Questions measured.</param>
/// <param name="Answerable">Of which answerable.</param>
/// <param name="OutOfScope">Of which labelled hand-off.</param>
/// <param name="HitAt1">Share of answerable questions whose first entry is labelled.</param>
/// <param name="HitAt3">Share with a labelled entry in the first three.</param>
/// <param name="MrrAt10">Mean of 1 / rank of the first labelled entry (0 beyond rank 10).</param>
/// <param name="HandoffPrecision">Hand-offs that were out of scope / hand-offs (0 when none was made).</param>
/// <param name="HandoffRecall">Out-of-scope questions handed off / out-of-scope questions.</param>
/// <param name="HandoffF1">Harmonic mean of the two (0 when both are 0).</param>
/// <param name="FalseHandoffRate">Answerable questions handed off / answerable questions.</param>
/// <param name="CorrectActionRate">Questions with the right action / questions.</param>
/// <param name="RougeL">Mean ROUGE-L F-measure of the answers given to answerable questions (a hand-off's message scores what it scores).</param>
/// <param name="LatencyP50Ms">Median time to answer.</param>
/// <param name="LatencyP95Ms">95th percentile time to answer (linear interpolation, as NumPy's default).</param>
public sealed record SupportMetrics(
    int Questions, int Answerable, int OutOfScope,
    double? HitAt1, double? HitAt3, double? MrrAt10,
    double? HandoffPrecision, double? HandoffRecall, double? HandoffF1,
    double? FalseHandoffRate, double CorrectActionRate, double? RougeL,
    double LatencyP50Ms, double LatencyP95Ms)
{
    /// <summary>The rank MRR counts to.</summary>
    public const int MrrDepth = 10;

    /// <summary>The metrics of <paramref name="outcomes"/>.</summary>
    /// <exception cref="ArgumentException">There are no outcomes.</exception>
    public static SupportMetrics Compute(IReadOnlyList<QuestionOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0) throw new ArgumentException("no questions to measure.");
        QuestionOutcome[] answerable = [.. outcomes.Where(o => !o.Question.IsHandoff)];
        int outOfScope = outcomes.Count - answerable.Length;
        int handedOff = outcomes.Count(o => o.Handoff);
        int rightHandoffs = outcomes.Count(o => o.Handoff && o.Question.IsHandoff);
        double? precision = outOfScope == 0 ? null : handedOff == 0 ? 0 : (double)rightHandoffs / handedOff;
        double? recall = outOfScope == 0 ? null : (double)rightHandoffs / outOfScope;
        double? f1 = precision is { } p && recall is { } r ? (p + r == 0 ? 0 : 2 * p * r / (p + r)) : null;
        double[] latencies = [.. outcomes.Select(o => o.LatencyMs).Order()];
        return new SupportMetrics(
            outcomes.Count, answerable.Length, outOfScope,
            MeanOrNull(answerable, o => o.FirstRelevantRank == 1 ? 1 : 0),
            MeanOrNull(answerable, o => o.FirstRelevantRank <= 3 ? 1 : 0),
            MeanOrNull(answerable, o => o.FirstRelevantRank is { } rank && rank <= MrrDepth ? 1.0 / rank : 0),
            precision, recall, f1,
            MeanOrNull(answerable, o => o.Handoff ? 1 : 0),
            (double)outcomes.Count(o => o.CorrectAction) / outcomes.Count,
            MeanOrNull(answerable, o => o.RougeL ?? 0),
            Percentile(latencies, 0.50), Percentile(latencies, 0.95));
    }

    /// <summary>The <paramref name="q"/> quantile of sorted <paramref name="sorted"/>, interpolating linearly between neighbours.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) return 0;
        double position = q * (sorted.Count - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static double? MeanOrNull(QuestionOutcome[] outcomes, Func<QuestionOutcome, double> value) =>
        outcomes.Length == 0 ? null : outcomes.Average(value);
}
