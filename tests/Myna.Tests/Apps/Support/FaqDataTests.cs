using System.Text.RegularExpressions;

namespace Myna.Tests.Apps.Support;

/// <summary>The committed knowledge base, data/apps/support/faq.jsonl (made by recipes/apps-data.sh from the Debian
/// FAQ 11.1): both languages complete and sharing their entry ids.</summary>
public sealed class FaqDataTests
{
    private static readonly IReadOnlyList<FaqEntryRow> Entries = SupportData.Faq();

    [Theory]
    [InlineData("en")]
    [InlineData("zh")]
    public void Each_language_has_the_sections_of_all_16_chapters(string lang)
    {
        var rows = Entries.Where(e => e.Lang == lang).ToList();
        Assert.True(rows.Count >= 140, $"{lang}: {rows.Count} entries");
        Assert.Equal(16, rows.Select(e => e.Chapter).Distinct().Count());
    }

    [Fact]
    public void Languages_are_en_and_zh_and_ids_are_unique_per_language()
    {
        Assert.All(Entries, e => Assert.Contains(e.Lang, new[] { "en", "zh" }));
        var duplicates = Entries.GroupBy(e => (e.Id, e.Lang)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Both_languages_share_the_same_entry_ids()
    {
        var en = Entries.Where(e => e.Lang == "en").Select(e => e.Id).ToHashSet();
        var zh = Entries.Where(e => e.Lang == "zh").Select(e => e.Id).ToHashSet();
        Assert.Empty(en.Except(zh));
        Assert.Empty(zh.Except(en));
    }

    [Fact]
    public void Every_entry_has_a_chapter_a_numberless_question_and_an_answer()
    {
        Assert.All(Entries, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Chapter), e.Id);
            Assert.False(string.IsNullOrWhiteSpace(e.Question), e.Id);
            Assert.False(string.IsNullOrWhiteSpace(e.Answer), e.Id);
            Assert.DoesNotMatch(new Regex(@"^\d+(\.\d+)*\."), e.Question); // section numbers are stripped
            Assert.DoesNotMatch(new Regex(@"\s"), e.Id); // anchor ids, unchanged
        });
    }

    [Fact]
    public void Subsections_are_entries_of_their_own()
    {
        // 9.1 "How can I keep my Debian system current?" holds 9.1.1 (aptitude) and 9.1.2 (apt-get): their text must
        // not be repeated in the parent's answer.
        FaqEntryRow parent = Entries.Single(e => e.Id == "howtocurrent" && e.Lang == "en");
        FaqEntryRow child = Entries.Single(e => e.Id == "apt" && e.Lang == "en");
        Assert.Contains("apt-get dist-upgrade", child.Answer);
        Assert.DoesNotContain("apt-get dist-upgrade", parent.Answer);
    }
}
