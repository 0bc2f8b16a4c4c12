using Myna.Apps.Support;
using Myna.Apps.Support.Evaluation;

namespace Myna.Tests.Apps.Support.Evaluation;

public sealed class SupportTunerTests
{
    /// <summary>Every fixture question as dev: the fixture's own dev split has no out-of-scope question to learn the hand-off from.</summary>
    private static IReadOnlyList<SupportQuestion> Dev() => [.. SupportQuestionSet.Load(SupportFixtures.QuestionsPath).Select(q => q with { Split = "dev" })];

    [Fact]
    public void Tunes_each_language_on_its_own_dev_questions_and_learns_the_hand_off()
    {
        FaqKnowledgeBase faq = SupportFixtures.Faq();
        Bm25Settings[] grid = [new() { QuestionBoost = 1 }, new() { QuestionBoost = 2, ChapterBoost = 0.5f, AskedBoost = 1 }];
        var seen = new List<string>();
        SupportTuning tuning = SupportTuner.Tune(faq, Dev(), grid: _ => grid, progress: (lang, _) => seen.Add(lang));
        Assert.Equal(["en", "en", "zh", "zh"], seen);
        Assert.Equal(2, tuning.Trials.English.Count);
        Assert.Equal(tuning.Trials.English.Max(t => t.MrrAt10), tuning.Best.English.MrrAt10);
        Assert.Equal(tuning.Trials.Chinese.Max(t => t.MrrAt10), tuning.Best.Chinese.MrrAt10);
        Assert.InRange(tuning.Handoff.Threshold, 0, 1.0 + 1e-6);
        Assert.Equal(HandoffFeatures.Names.Count, tuning.Handoff.Model.Weights.Count);
        Assert.InRange(tuning.Handoff.HandoffF1, 0, 1);
    }

    [Fact]
    public void A_language_without_dev_questions_is_an_error()
    {
        FaqKnowledgeBase faq = SupportFixtures.Faq();
        SupportQuestion[] englishOnly = [.. Dev().Where(q => q.Lang == "en")];
        Assert.Contains("no zh questions", Assert.Throws<InvalidDataException>(() => SupportTuner.Tune(faq, englishOnly, grid: _ => [new Bm25Settings()])).Message);
    }

    [Fact]
    public void The_shipped_grid_holds_the_shipped_settings_and_pairs_chinese_only()
    {
        Assert.All(SupportTuner.Grid("en"), s => Assert.False(s.ChineseCharacterPairs));
        Assert.All(SupportTuner.Grid("zh"), s => Assert.True(s.ChineseCharacterPairs));
        Assert.Contains(SupportTuner.Grid("en"), s => s.AskedBoost > 0);
        Assert.Contains(SupportTuner.Grid("en"), s => s.KeywordWeight > 0);
        Assert.Contains(new SupportOptions().Bm25.English, SupportTuner.Grid("en"));
        Assert.Contains(new SupportOptions().Bm25.Chinese, SupportTuner.Grid("zh"));
    }
}
