using Myna.Apps.Support;

namespace Myna.Tests.Apps.Support;

public sealed class Bm25RetrieverTests
{
    private static readonly FaqKnowledgeBase Faq = SupportFixtures.Faq();

    [Theory]
    [InlineData("How do I upgrade to the next Debian release?", "howtocurrent")]
    [InlineData("Can Debian run on arm64 or s390x machines?", "s3.1")]
    [InlineData("My wireless card needs firmware", "nonfree")]
    [InlineData("how to file a bug report", "bugreport")]
    [InlineData("installing a .deb file I downloaded", "dpkg")]
    public void English_questions_find_their_entry(string question, string expected)
    {
        using var bm25 = new Bm25Retriever(Faq, new Bm25Settings { QuestionBoost = 2 });
        IReadOnlyList<RetrievedEntry> ranked = bm25.Search(question, "en", 10);
        Assert.Equal(expected, ranked[0].Id);
        Assert.Equal(Faq.Find(expected, "en")!.Question, ranked[0].Question);
        Assert.True(ranked.Zip(ranked.Skip(1)).All(pair => pair.First.Score >= pair.Second.Score), "ranked best first");
    }

    [Theory]
    [InlineData("如何升级到下一个 Debian 版本？", "howtocurrent")]
    [InlineData("我的无线网卡需要固件", "nonfree")]
    [InlineData("怎么报告软件包的缺陷？", "bugreport")]
    [InlineData("怎样编译内核", "kernel")]
    public void Chinese_questions_find_their_entry_in_the_chinese_index(string question, string expected)
    {
        using var bm25 = new Bm25Retriever(Faq, new Bm25Settings { QuestionBoost = 2 });
        IReadOnlyList<RetrievedEntry> ranked = bm25.Search(question, "zh", 10);
        Assert.Equal(expected, ranked[0].Id);
        Assert.Equal(Faq.Find(expected, "zh")!.Question, ranked[0].Question); // reported in the language searched
    }

    [Fact]
    public void The_question_field_is_boosted_separately_from_the_answer_field()
    {
        // "hardware architectures" occurs only in s3.1's question, "subscribe" only in mailinglists' answer: the boost
        // multiplies the first score and leaves the second alone.
        using var plain = new Bm25Retriever(Faq, new Bm25Settings { QuestionBoost = 1 });
        using var boosted = new Bm25Retriever(Faq, new Bm25Settings { QuestionBoost = 4 });
        RetrievedEntry questionOnly(Bm25Retriever r) => r.Search("hardware architectures", "en", 10).Single();
        RetrievedEntry answerOnly(Bm25Retriever r) => r.Search("subscribe", "en", 10).Single();
        Assert.Equal("s3.1", questionOnly(plain).Id);
        Assert.Equal(4 * questionOnly(plain).Score, questionOnly(boosted).Score, 4);
        Assert.Equal("mailinglists", answerOnly(plain).Id);
        Assert.Equal(answerOnly(plain).Score, answerOnly(boosted).Score, 6);
    }

    [Fact]
    public void Stop_words_only_and_unknown_words_return_nothing()
    {
        using var bm25 = new Bm25Retriever(Faq, new Bm25Settings { QuestionBoost = 2 });
        Assert.Empty(bm25.Search("what is the", "en", 10));
        Assert.Empty(bm25.Search("zebra xylophone", "en", 10));
        Assert.Equal(3, bm25.Search("Debian", "en", 3).Count);
    }

    [Fact]
    public void Stemming_matches_inflected_forms()
    {
        using var bm25 = new Bm25Retriever(Faq, new Bm25Settings { QuestionBoost = 2 });
        Assert.Equal("howtocurrent", bm25.Search("upgrades", "en", 1)[0].Id);
        Assert.Equal("kernel", bm25.Search("building kernels", "en", 1)[0].Id);
    }

    [Fact]
    public void A_long_message_stays_within_lucenes_clause_limit()
    {
        using var bm25 = new Bm25Retriever(Faq, new Bm25Settings { ChapterBoost = 0.5f, TranslationBoost = 0.5f, ChineseCharacterPairs = true });
        // Only the first MaxQueryTerms distinct terms count: "kernel" first is searched, "release" last is not.
        string english = "kernel " + string.Join(' ', Enumerable.Range(0, 400).Select(i => $"word{i:D4}")) + " release";
        IReadOnlyList<RetrievedEntry> found = bm25.Search(english, "en", 10);
        Assert.Equal("kernel", found[0].Id);
        Assert.DoesNotContain(found, f => f.Id == "howtocurrent");
        string chinese = string.Concat(Enumerable.Range(0, 600).Select(i => (char)('\u4E00' + i * 7))) + "内核";
        Assert.NotNull(bm25.Search(chinese, "zh", 3));
    }
}
