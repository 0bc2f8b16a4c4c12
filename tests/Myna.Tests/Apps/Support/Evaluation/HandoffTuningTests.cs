using Myna.Apps.Support;
using Myna.Apps.Support.Evaluation;

namespace Myna.Tests.Apps.Support.Evaluation;

public sealed class HandoffTuningTests
{
    private static (SupportQuestion, SupportAnswer) Observed(bool outOfScope, double score, double coverage, bool rightTop = true)
    {
        var question = new SupportQuestion("q", "en", "…", outOfScope ? [] : ["gold"], "dev");
        var sources = new[] { new RetrievedEntry(rightTop ? "gold" : "other", "Q", score) };
        return (question, new SupportAnswer("a", "en", sources, new SupportConfidence(score, score, coverage), false, "gold", false));
    }

    [Fact]
    public void Separable_scores_are_split_at_the_midpoint()
    {
        TunedHandoff tuned = HandoffTuning.Tune(
        [
            Observed(outOfScope: false, score: 8, coverage: 0.9),
            Observed(outOfScope: false, score: 6, coverage: 0.8),
            Observed(outOfScope: true, score: 2, coverage: 0.9),
            Observed(outOfScope: true, score: 1, coverage: 0.9),
        ]);
        Assert.Equal(1.0, tuned.CorrectActionRate);
        Assert.Equal(1.0, tuned.HandoffF1);
        Assert.Equal(4.0, tuned.Policy.MinScore); // midway between 2 and 6
    }

    [Fact]
    public void Coverage_separates_what_scores_cannot()
    {
        TunedHandoff tuned = HandoffTuning.Tune(
        [
            Observed(outOfScope: false, score: 5, coverage: 0.8),
            Observed(outOfScope: true, score: 9, coverage: 0.2),
            Observed(outOfScope: false, score: 3, coverage: 0.7),
        ]);
        Assert.Equal(1.0, tuned.CorrectActionRate);
        Assert.Equal(0.45, tuned.Policy.MinCoverage, 12);
    }

    [Fact]
    public void A_wrong_top_entry_is_not_a_correct_answer()
    {
        // Answering with the wrong entry counts as wrong either way, so handing off changes nothing for it; the
        // tuned policy keeps answering the right one.
        TunedHandoff tuned = HandoffTuning.Tune([Observed(false, 5, 0.5, rightTop: false), Observed(false, 7, 0.9)]);
        Assert.Equal(0.5, tuned.CorrectActionRate);
        Assert.False(tuned.Policy.ShouldHandOff(new SupportConfidence(7, 7, 0.9), 1));
    }
}
