namespace Myna.Apps.Support.Evaluation;

/// <summary>One system's outcomes on a question set, and its metrics overall and per language.</summary>
public sealed record SystemEvaluation(string Name, PerLanguage<HandoffPolicy> Policy, IReadOnlyList<QuestionOutcome> Outcomes)
{
    /// <summary>The metrics over every question.</summary>
    public SupportMetrics Overall => SupportMetrics.Compute(Outcomes);

    /// <summary>The metrics of each language that has questions (en before zh).</summary>
    public IReadOnlyDictionary<string, SupportMetrics> PerLanguage =>
        Outcomes.GroupBy(o => o.Question.Lang).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => SupportMetrics.Compute([.. g]));
}
