using Myna.Apps.Support.Evaluation;

namespace Myna.Tests.Apps.Support.Evaluation;

public sealed class SupportMetricsTests
{
    private static QuestionOutcome Outcome(string lang, string[] gold, string[] ranked, bool handoff, double? rouge, double latency) =>
        new(new SupportQuestion("q", lang, "…", gold, "test"), ranked, handoff, rouge, latency);

    /// <summary>
    /// Six questions worked by hand:
    /// 1. answerable, gold a at rank 1, answered                 → hit@1, correct action, RR 1
    /// 2. answerable, gold b at rank 3, answered                 → hit@3 only, wrong action, RR 1/3
    /// 3. answerable, gold c at rank 2, handed off               → hit@3, false hand-off, RR 1/2
    /// 4. answerable, gold d (or e) absent from the ranking      → miss, RR 0
    /// 5. out of scope, handed off                               → right hand-off
    /// 6. out of scope, answered                                 → missed hand-off
    /// </summary>
    private static readonly QuestionOutcome[] Worked =
    [
        Outcome("en", ["a"], ["a", "x", "y"], handoff: false, rouge: 1.0, latency: 1),
        Outcome("en", ["b"], ["x", "y", "b"], handoff: false, rouge: 0.2, latency: 2),
        Outcome("zh", ["c"], ["x", "c"], handoff: true, rouge: 0.1, latency: 3),
        Outcome("zh", ["d", "e"], ["x", "y", "z"], handoff: false, rouge: 0.3, latency: 4),
        Outcome("en", [], ["x"], handoff: true, rouge: null, latency: 5),
        Outcome("zh", [], ["x"], handoff: false, rouge: null, latency: 100),
    ];

    [Fact]
    public void Every_metric_matches_the_hand_computed_values()
    {
        SupportMetrics m = SupportMetrics.Compute(Worked);
        Assert.Equal((6, 4, 2), (m.Questions, m.Answerable, m.OutOfScope));
        Assert.Equal(1.0 / 4, m.HitAt1!.Value, 12);
        Assert.Equal(3.0 / 4, m.HitAt3!.Value, 12);
        Assert.Equal((1 + 1.0 / 3 + 1.0 / 2 + 0) / 4, m.MrrAt10!.Value, 12);
        // Hand-offs made: questions 3 and 5, of which 5 was right; out of scope: 5 and 6.
        Assert.Equal(1.0 / 2, m.HandoffPrecision!.Value, 12);
        Assert.Equal(1.0 / 2, m.HandoffRecall!.Value, 12);
        Assert.Equal(0.5, m.HandoffF1!.Value, 12);
        Assert.Equal(1.0 / 4, m.FalseHandoffRate!.Value, 12);
        // Right actions: 1 and 5.
        Assert.Equal(2.0 / 6, m.CorrectActionRate, 12);
        Assert.Equal((1.0 + 0.2 + 0.1 + 0.3) / 4, m.RougeL!.Value, 12);
        // Latencies 1 2 3 4 5 100: median 3.5; p95 at position 4.75 → 5 + 0.75 × 95.
        Assert.Equal(3.5, m.LatencyP50Ms, 12);
        Assert.Equal(76.25, m.LatencyP95Ms, 12);
    }

    [Fact]
    public void Per_language_splits_the_same_outcomes()
    {
        var system = new SystemEvaluation("bm25", Myna.Apps.Support.PerLanguage<Myna.Apps.Support.HandoffPolicy>.Both(new(0, 0)), Worked);
        SupportMetrics en = system.PerLanguage["en"], zh = system.PerLanguage["zh"];
        Assert.Equal(["en", "zh"], system.PerLanguage.Keys);
        Assert.Equal(0.5, en.HitAt1!.Value, 12);
        Assert.Equal(1.0, en.HandoffPrecision!.Value, 12);
        Assert.Equal(1.0, en.HandoffF1!.Value, 12);
        Assert.Equal(0.0, zh.HitAt1!.Value, 12);
        Assert.Equal(0.0, zh.HandoffPrecision!.Value, 12);
        Assert.Equal(0.0, zh.HandoffF1!.Value, 12);
        Assert.Equal(0.5, zh.FalseHandoffRate!.Value, 12);
    }

    [Fact]
    public void Undefined_metrics_are_null_not_zero()
    {
        SupportMetrics onlyOutOfScope = SupportMetrics.Compute([Outcome("en", [], [], handoff: true, rouge: null, latency: 1)]);
        Assert.Null(onlyOutOfScope.HitAt1);
        Assert.Null(onlyOutOfScope.MrrAt10);
        Assert.Null(onlyOutOfScope.FalseHandoffRate);
        Assert.Equal(1.0, onlyOutOfScope.HandoffF1);
        SupportMetrics onlyAnswerable = SupportMetrics.Compute([Outcome("en", ["a"], ["a"], handoff: false, rouge: 1, latency: 1)]);
        Assert.Null(onlyAnswerable.HandoffPrecision);
        Assert.Null(onlyAnswerable.HandoffF1);
        Assert.Equal(1.0, onlyAnswerable.CorrectActionRate);
    }

    [Fact]
    public void Mrr_counts_to_rank_ten_only()
    {
        string[] eleven = [.. Enumerable.Range(0, 10).Select(i => "x" + i), "gold"];
        Assert.Equal(0.0, SupportMetrics.Compute([Outcome("en", ["gold"], eleven, false, 0, 1)]).MrrAt10);
        Assert.Equal(0.1, SupportMetrics.Compute([Outcome("en", ["gold"], eleven[1..], false, 0, 1)]).MrrAt10!.Value, 12);
    }
}
