using Myna.Apps.Support;
using Myna.Apps.Support.Evaluation;

namespace Myna.Tests.Apps.Support.Evaluation;

public sealed class LogisticHandoffTuningTests
{
    private static (SupportQuestion, SupportAnswer) Observed(int i, bool outOfScope, double score, double coverage, double unknown)
    {
        var question = new SupportQuestion("q" + i, i % 2 == 0 ? "en" : "zh", "question", outOfScope ? [] : ["gold"], "dev");
        RetrievedEntry[] sources = [new("gold", "gold question", score)];
        return (question, new SupportAnswer("a", question.Lang, sources, new SupportConfidence(score, score, coverage, unknown), false, "gold", false));
    }

    [Fact]
    public void Learns_to_hand_off_weakly_covered_questions_with_unknown_words()
    {
        var observed = new List<(SupportQuestion, SupportAnswer)>();
        for (int i = 0; i < 40; i++)
        {
            bool outOfScope = i % 4 == 0;
            double jitter = i % 7 * 0.01;
            observed.Add(outOfScope ? Observed(i, true, 3 + jitter, 0.2 + jitter, 0.6 - jitter) : Observed(i, false, 12 + jitter, 0.7 - jitter, 0.05 + jitter));
        }
        TunedLogisticHandoff tuned = LogisticHandoffTuning.Tune(observed);
        Assert.Equal(1.0, tuned.HandoffF1);
        Assert.Equal(1.0, tuned.CorrectActionRate);
        PerLanguage<IHandoffRule> rule = tuned.Rule;
        Assert.True(rule.English.ShouldHandOff(new SupportConfidence(3, 3, 0.2, 0.6), 1));
        Assert.False(rule.Chinese.ShouldHandOff(new SupportConfidence(12, 5, 0.7, 0.05), 1));
        Assert.True(rule.English.ShouldHandOff(new SupportConfidence(12, 5, 0.7, 0.05), 0)); // nothing matched
    }

    [Fact]
    public void Needs_both_kinds_of_question()
    {
        (SupportQuestion, SupportAnswer)[] answerable = [Observed(0, false, 10, 0.5, 0), Observed(1, false, 8, 0.4, 0)];
        Assert.Contains("both answerable and out-of-scope", Assert.Throws<ArgumentException>(() => LogisticHandoffTuning.Tune(answerable)).Message);
    }
}
