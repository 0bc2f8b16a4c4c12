using Myna.Apps.Support;
using Myna.Tests.Text;

namespace Myna.Tests.Apps.Support;

public sealed class FaqKnowledgeBaseTests
{
    [Fact]
    public void Loads_both_languages_sharing_ids()
    {
        FaqKnowledgeBase faq = SupportFixtures.Faq();
        Assert.Equal(16, faq.Entries.Count);
        Assert.Equal(8, faq.InLanguage("en").Count);
        Assert.Equal(8, faq.InLanguage("zh").Count);
        Assert.Equal("What is dpkg and how do I install a package file?", faq.Find("dpkg", "en")!.Question);
        Assert.StartsWith("dpkg 是", faq.Find("dpkg", "zh")!.Answer);
        Assert.True(faq.Contains("s3.1"));
        Assert.False(faq.Contains("nosuchentry"));
    }

    [Fact]
    public void An_entry_missing_in_one_language_falls_back_to_the_other()
    {
        var faq = new FaqKnowledgeBase([new FaqEntry("only-en", "en", "c", "Q?", "A.")]);
        Assert.Equal("A.", faq.Find("only-en", "zh")!.Answer);
        Assert.Null(faq.Find("other", "en"));
    }

    [Fact]
    public void A_bad_line_is_named_by_its_number()
    {
        using var folder = new TempFolder();
        string path = folder.Write("faq.jsonl", "{\"id\":\"a\",\"lang\":\"en\",\"question\":\"Q\",\"answer\":\"A\"}\n\n{\"id\":\"b\",\"lang\":\"en\",\"question\":\"Q\"}\n");
        var error = Assert.Throws<InvalidDataException>(() => FaqKnowledgeBase.Load(path));
        Assert.Contains("line 3", error.Message);
        Assert.Contains("'answer'", error.Message);
    }

    [Theory]
    [InlineData("{\"id\":\"a\",\"lang\":\"fr\",\"question\":\"Q\",\"answer\":\"A\"}", "language 'fr'")]
    [InlineData("{\"id\":\"a\",\"lang\":\"en\",\"question\":\"Q\",\"answer\":\"A\"}\n{\"id\":\"a\",\"lang\":\"en\",\"question\":\"Q2\",\"answer\":\"A2\"}", "appears twice")]
    [InlineData("[1,2]", "expected a JSON object")]
    [InlineData("", "no entries")]
    public void Invalid_knowledge_bases_are_refused(string text, string expected)
    {
        using var folder = new TempFolder();
        string path = folder.Write("faq.jsonl", text);
        Assert.Contains(expected, Assert.Throws<InvalidDataException>(() => FaqKnowledgeBase.Load(path)).Message);
    }

    [Fact]
    public void A_missing_file_is_a_file_not_found_error()
    {
        Assert.Throws<FileNotFoundException>(() => FaqKnowledgeBase.Load(Path.Combine(Path.GetTempPath(), "no-such-faq-" + Guid.NewGuid() + ".jsonl")));
    }
}
