namespace Myna.Apps.Support.Evaluation;

/// <summary>
/// <c>myna support tune</c>: picks the BM25 question boost and each system's hand-off thresholds on dev questions.
/// For each boost in <see cref="Boosts"/>, BM25's thresholds are tuned (<see cref="HandoffTuning"/>) and the boost
/// whose tuned correct-action rate is highest wins (ties: the higher MRR@10 of the ranking, then the smaller boost).
/// </summary>
public static class SupportTuner
{
    /// <summary>The question boosts tried.</summary>
    public static IReadOnlyList<float> Boosts { get; } = [1f, 1.5f, 2f, 3f, 4f, 6f];

    /// <summary>Tunes on <paramref name="devQuestions"/> (call it with the dev split only).</summary>
    public static SupportTuning Tune(FaqKnowledgeBase knowledgeBase, IReadOnlyList<SupportQuestion> devQuestions, SupportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(knowledgeBase);
        ArgumentNullException.ThrowIfNull(devQuestions);
        options = (options ?? new SupportOptions()).Validate();
        var coverage = new QueryCoverage(knowledgeBase);
        var perBoost = new List<BoostTrial>();
        foreach (float boost in Boosts)
        {
            using var bm25 = new Bm25Retriever(knowledgeBase, boost);
            var observed = Observe(new SupportResponder(knowledgeBase, bm25, coverage, HandoffTuning.Never, options), devQuestions);
            perBoost.Add(new BoostTrial(boost, HandoffTuning.Tune(observed), MrrAt10(observed)));
        }
        BoostTrial best = perBoost.OrderByDescending(t => t.Handoff.CorrectActionRate).ThenByDescending(t => t.MrrAt10).ThenBy(t => t.Boost).First();
        TunedHandoff keyword = HandoffTuning.Tune(Observe(
            new SupportResponder(knowledgeBase, new KeywordRetriever(knowledgeBase), coverage, HandoffTuning.Never, options), devQuestions));
        return new SupportTuning(perBoost, best, keyword);
    }

    private static List<(SupportQuestion, SupportAnswer)> Observe(SupportResponder responder, IReadOnlyList<SupportQuestion> questions) =>
        [.. questions.Select(q => (q, responder.Respond(q.Question)))];

    private static double MrrAt10(IReadOnlyList<(SupportQuestion Question, SupportAnswer Answer)> observed)
    {
        var answerable = observed.Where(o => !o.Question.IsHandoff).ToList();
        if (answerable.Count == 0) return 0;
        return answerable.Average(o =>
        {
            int rank = o.Answer.Sources.Take(SupportMetrics.MrrDepth).Select(s => s.Id).ToList().FindIndex(id => o.Question.Answers.Contains(id));
            return rank < 0 ? 0 : 1.0 / (rank + 1);
        });
    }
}
