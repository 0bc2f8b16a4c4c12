using Myna.Text.Cleaning;

namespace Myna.Tests.Text.Cleaning;

public class TextCleanerTests
{
    private static readonly TextCleaner Cleaner = new(new CleaningOptions());

    [Fact]
    public void NfkcFoldsCompatibilityForms()
    {
        Assert.Equal("ABC 123 fi", Cleaner.Clean("ＡＢＣ　１２３ ﬁ"));
        Assert.Equal("ＡＢＣ", new TextCleaner(new CleaningOptions { Nfkc = false }).Clean("ＡＢＣ"));
    }

    [Fact]
    public void ControlAndZeroWidthCharactersGo()
    {
        Assert.Equal("zero width joiner", Cleaner.Clean("zero\u200B wi\u00ADdth\u0007 jo\uFEFFiner\u202E"));
    }

    [Fact]
    public void WhiteSpaceCollapsesAndParagraphsSurvive()
    {
        Assert.Equal("a b c\nd\n\ne", Cleaner.Clean("  a \t b\u00A0\u00A0c  \r\n d\n\n\n\n   e  \n"));
    }

    [Fact]
    public void MarkupRemnantsGo()
    {
        Assert.Equal("Tom & Jerry say hi", Cleaner.Clean("<p>Tom &amp; Jerry</p> <span class=\"x\">say</span> hi<br/>"));
        Assert.Equal("3 < 5 and 7 > 2", Cleaner.Clean("3 < 5 and 7 > 2"));
    }
}

public class QualityFilterTests
{
    private static readonly QualityFilter Filter = new(new CleaningOptions());

    [Theory]
    [InlineData("", DropReason.Empty)]
    [InlineData("Too short.", DropReason.TooShort)]
    [InlineData("### ||| ### ||| {{ }} == ~~ ^^ ** @@ ok word", DropReason.SymbolRatio)]
    [InlineData("buy now buy now buy now buy now buy now buy now buy now buy now", DropReason.RepeatedNgrams)]
    public void BadTextIsDroppedWithItsReason(string text, DropReason expected)
    {
        Assert.Equal(expected, Filter.Check(text, out _));
    }

    [Theory]
    [InlineData("The quick brown fox jumps over the lazy dog near the river bank.", "en")]
    [InlineData("今天天气很好，我们一起去公园散步吧。明天再说。", "zh")]
    [InlineData("我们使用 Python 和 PyTorch 训练了一个 GPT 模型，效果不错。", "zh")]
    public void GoodTextPassesAndIsLabelled(string text, string language)
    {
        Assert.Null(Filter.Check(text, out string detected));
        Assert.Equal(language, detected);
    }

    [Fact]
    public void LanguageFilterKeepsOnlyTheChosenScript()
    {
        var english = new QualityFilter(new CleaningOptions { Language = LanguageFilter.English });
        var chinese = new QualityFilter(new CleaningOptions { Language = LanguageFilter.Chinese });
        const string en = "This sentence is plainly written in the English language.";
        const string zh = "这句话显然是用中文写成的，没有任何英文单词。";
        Assert.Null(english.Check(en, out _));
        Assert.Equal(DropReason.Language, english.Check(zh, out _));
        Assert.Null(chinese.Check(zh, out _));
        Assert.Equal(DropReason.Language, chinese.Check(en, out _));
        Assert.Equal("other", LanguageId.Detect("Это предложение написано по-русски."));
        Assert.Equal("other", LanguageId.Detect("Le petit village se réveille avant le soleil. Les bateaux de pêche sortent du port pendant que " +
            "la boulangerie allume ses fours et que la première camionnette de livraison traverse la place du marché."));
        Assert.Equal("en", LanguageId.Detect("The small village wakes before the sun. Fishing boats leave the harbour while the bakery " +
            "lights its ovens and the first delivery van crosses the market square on its way to the coast."));
    }

    [Fact]
    public void TooLongIsConfigurable()
    {
        var filter = new QualityFilter(new CleaningOptions { MaxChars = 30 });
        Assert.Equal(DropReason.TooLong, filter.Check(new string('a', 10) + " " + new string('b', 25), out _));
    }
}

public class BoilerplateDetectorTests
{
    [Fact]
    public void LinesRepeatedAcrossManyDocumentsAreRemoved()
    {
        var options = new CleaningOptions { BoilerplateMinDocuments = 3 };
        var detector = new BoilerplateDetector(options);
        const string footer = "Copyright 2024 Example Inc. All rights reserved.";
        var docs = Enumerable.Range(0, 4).Select(i => $"Article number {i} talks about topic {i * 7}.\n{footer}").ToList();
        // An exact duplicate of a document does not make its lines boilerplate.
        var dupes = Enumerable.Repeat("Unique opening line that is long enough.\nAnother long line for the same document.", 5);
        foreach (string doc in docs.Concat(dupes)) detector.Observe(doc);

        Assert.Equal(1, detector.BoilerplateLineCount);
        Assert.Equal("Article number 2 talks about topic 14.", detector.Remove(docs[2], out int removed));
        Assert.Equal(1, removed);
        Assert.Equal(dupes.First(), detector.Remove(dupes.First(), out _));
    }
}
