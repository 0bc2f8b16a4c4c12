using Myna.Apps.Support;
using Myna.Apps.Support.Evaluation;

namespace Myna.Tests.Apps.Support.Evaluation;

public sealed class SupportTunerTests
{
    [Fact]
    public void Tunes_each_language_on_its_own_dev_questions_and_picks_the_best_mrr()
    {
        FaqKnowledgeBase faq = SupportFixtures.Faq();
        IReadOnlyList<SupportQuestion> dev = SupportQuestionSet.Load(SupportFixtures.QuestionsPath, "dev");
        Bm25Settings[] grid = [new() { QuestionBoost = 1 }, new() { QuestionBoost = 2, ChapterBoost = 0.5f }];
        var seen = new List<string>();
        SupportTuning tuning = SupportTuner.Tune(faq, dev, grid: _ => grid, progress: (lang, _) => seen.Add(lang));
        Assert.Equal(["en", "en", "zh", "zh"], seen);
        Assert.Equal(2, tuning.Trials.English.Count);
        Assert.Equal(1.0, tuning.Best.English.MrrAt10); // the one dev question per language is found first
        Assert.Same(grid[0], tuning.Best.Chinese.Settings); // ties go to the earlier setting
        Assert.Equal(tuning.Trials.English.Max(t => t.MrrAt10), tuning.Best.English.MrrAt10);
    }

    [Fact]
    public void A_language_without_dev_questions_is_an_error()
    {
        FaqKnowledgeBase faq = SupportFixtures.Faq();
        SupportQuestion[] englishOnly = [.. SupportQuestionSet.Load(SupportFixtures.QuestionsPath, "dev").Where(q => q.Lang == "en")];
        Assert.Contains("no zh questions", Assert.Throws<InvalidDataException>(() => SupportTuner.Tune(faq, englishOnly, grid: _ => [new Bm25Settings()])).Message);
    }

    [Fact]
    public void The_shipped_grid_varies_character_pairs_for_chinese_only()
    {
        Assert.All(SupportTuner.Grid("en"), s => Assert.False(s.ChineseCharacterPairs));
        Assert.Contains(SupportTuner.Grid("zh"), s => s.ChineseCharacterPairs);
        Assert.Contains(new SupportOptions().Bm25.English, SupportTuner.Grid("en"));
        Assert.Contains(new SupportOptions().Bm25.Chinese, SupportTuner.Grid("zh"));
    }
}
