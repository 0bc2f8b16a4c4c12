using Myna.Apps.Support;
using Myna.Apps.Support.Evaluation;

namespace Myna.Tests.Apps.Support;

public sealed class QueryLogTests
{
    private static SupportQuestion Q(string id, string lang, string text, params string[] answers) => new(id, lang, text, answers, "dev");

    [Fact]
    public void Attaches_each_answerable_question_to_each_of_its_entries_and_leaves_out_hand_offs()
    {
        var log = new QueryLog([Q("a", "en", "how do i update", "howtocurrent", "dpkg"), Q("b", "en", "cancel netflix"), Q("c", "zh", "怎么更新", "howtocurrent")]);
        Assert.Equal(["how do i update"], log.Asked("howtocurrent", "en"));
        Assert.Equal(["how do i update"], log.Asked("dpkg", "en"));
        Assert.Equal(["怎么更新"], log.Asked("howtocurrent", "zh"));
        Assert.Empty(log.Asked("nonfree", "en"));
        Assert.False(log.Contains("b"));
        Assert.Equal(2, log.Questions.Count);
    }

    [Fact]
    public void Without_drops_the_named_questions()
    {
        var log = new QueryLog([Q("a", "en", "how do i update", "howtocurrent"), Q("b", "en", "keep my box current", "howtocurrent")]);
        QueryLog held = log.Without(["a"]);
        Assert.Equal(["keep my box current"], held.Asked("howtocurrent", "en"));
        Assert.False(held.Contains("a"));
        Assert.True(log.Contains("a")); // the original is unchanged
    }

    [Fact]
    public void The_log_beside_an_faq_is_the_dev_split_of_its_questions_file()
    {
        QueryLog log = QueryLog.BesideFaq(SupportFixtures.FaqPath);
        Assert.Equal(["q-en-1", "q-zh-1"], log.Questions.Select(q => q.Id));
        string lonely = Path.Combine(Path.GetTempPath(), "myna-faq-" + Guid.NewGuid().ToString("N"), "faq.jsonl");
        Assert.Empty(QueryLog.BesideFaq(lonely).Questions);
    }

    [Fact]
    public void The_asked_field_lets_a_logged_paraphrase_find_its_entry_only_when_boosted()
    {
        FaqKnowledgeBase faq = SupportFixtures.Faq();
        var log = new QueryLog([Q("a", "en", "my laptop's wlan adapter stays dark", "nonfree")]);
        using var with = new Bm25Retriever(faq, new Bm25Settings { AskedBoost = 2 }, log);
        Assert.Equal("nonfree", with.Search("wlan adapter dark", "en", 3)[0].Id);
        using var without = new Bm25Retriever(faq, new Bm25Settings(), log);
        Assert.DoesNotContain(without.Search("wlan adapter dark", "en", 3), e => e.Id == "nonfree");
    }
}
