using Myna.Apps.Support;

namespace Myna.Tests.Apps.Support;

public sealed class HybridRetrieverTests
{
    private static readonly FaqKnowledgeBase Faq = SupportFixtures.Faq();

    [Fact]
    public void At_weight_zero_it_is_bm25()
    {
        var settings = new Bm25Settings { QuestionBoost = 2 };
        using var hybrid = new HybridRetriever(Faq, PerLanguage<Bm25Settings>.Both(settings), new KeywordRetriever(Faq));
        using var bm25 = new Bm25Retriever(Faq, settings);
        Assert.Equal(bm25.Search("installing a .deb file I downloaded", "en", 5), hybrid.Search("installing a .deb file I downloaded", "en", 5));
        Assert.Equal("bm25", hybrid.Name);
    }

    [Fact]
    public void A_positive_weight_adds_the_keyword_cosine_to_each_bm25_score()
    {
        const string question = "How do I upgrade to the next Debian release?";
        var keyword = new KeywordRetriever(Faq);
        using var bm25 = new Bm25Retriever(Faq, new Bm25Settings());
        using var hybrid = new HybridRetriever(Faq, new PerLanguage<Bm25Settings>(new Bm25Settings { KeywordWeight = 10 }, new Bm25Settings()), keyword);
        Dictionary<string, double> bm25Scores = bm25.Search(question, "en", 50).ToDictionary(e => e.Id, e => e.Score);
        Dictionary<string, double> cosines = keyword.Search(question, "en", 50).ToDictionary(e => e.Id, e => e.Score);
        IReadOnlyList<RetrievedEntry> combined = hybrid.Search(question, "en", 50);
        Assert.All(combined, e => Assert.Equal(bm25Scores.GetValueOrDefault(e.Id) + 10 * cosines.GetValueOrDefault(e.Id), e.Score, 6));
        Assert.True(combined.Zip(combined.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        // Chinese has weight 0 here: BM25 alone.
        Assert.Equal(bm25.Search("怎样编译内核", "zh", 5), hybrid.Search("怎样编译内核", "zh", 5));
    }
}
