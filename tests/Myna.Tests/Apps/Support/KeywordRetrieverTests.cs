using Myna.Apps.Support;

namespace Myna.Tests.Apps.Support;

public sealed class KeywordRetrieverTests
{
    private static readonly FaqKnowledgeBase Faq = SupportFixtures.Faq();

    [Fact]
    public void Ranks_by_tf_idf_cosine_in_both_languages()
    {
        var keyword = new KeywordRetriever(Faq);
        IReadOnlyList<RetrievedEntry> en = keyword.Search("report a bug with reportbug", "en", 10);
        Assert.Equal("bugreport", en[0].Id);
        Assert.InRange(en[0].Score, 0.0, 1.0 + 1e-12);
        Assert.Equal("nonfree", keyword.Search("无线网卡 固件", "zh", 10)[0].Id);
    }

    [Fact]
    public void A_query_equal_to_an_entry_scores_cosine_one()
    {
        var keyword = new KeywordRetriever(Faq);
        FaqEntry entry = Faq.Find("kernel", "en")!;
        RetrievedEntry top = keyword.Search(entry.Question + "\n" + entry.Answer, "en", 1)[0];
        Assert.Equal("kernel", top.Id);
        Assert.Equal(1.0, top.Score, 9);
    }

    [Fact]
    public void Does_not_stem_unlike_bm25()
    {
        // The baseline is TfIdfKeywords' own words: "upgrades" does not match "upgrading"/"upgrade".
        var keyword = new KeywordRetriever(Faq);
        Assert.Empty(keyword.Search("upgrades", "en", 10));
    }
}
