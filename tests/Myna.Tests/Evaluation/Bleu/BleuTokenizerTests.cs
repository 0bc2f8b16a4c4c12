using Myna.Evaluation;
using Myna.Evaluation.Bleu;

namespace Myna.Tests.Evaluation.Bleu;

/// <summary>Tokenizer outputs checked against sacreBLEU 2.6.0's tokenizer expressions run in Python (re and the
/// regex module) on the same strings.</summary>
public class BleuTokenizerTests
{
    [Theory]
    [InlineData("13a", "He said “hello”—then left.", "He said “hello”—then left .")]
    [InlineData("intl", "He said “hello”—then left.", "He said “ hello ” — then left .")]
    // zh: sacreBLEU's range table covers U+2001..U+2A6D (general punctuation included), see TokenizerZh.
    [InlineData("zh", "He said “hello”—then left.", "He said “ hello ” — then left .")]
    [InlineData("13a", "Price: $5.00, 3,000 units (1-2 days) &amp; more.", "Price : $ 5.00 , 3,000 units ( 1 - 2 days ) & more .")]
    [InlineData("intl", "Price: $5.00, 3,000 units (1-2 days) &amp; more.", "Price : $ 5.00 , 3,000 units ( 1-2 days ) & amp ; more .")]
    [InlineData("zh", "Price: $5.00, 3,000 units (1-2 days) &amp; more.", "Price : $ 5.00 , 3,000 units ( 1 - 2 days ) & amp ; more .")]
    [InlineData("intl", "I like 😀 and 👍!", "I like 😀 and 👍 !")] // symbols outside the BMP are split too
    [InlineData("13a", "中文“测试”，好吗？", "中文“测试”，好吗？")]
    [InlineData("intl", "中文“测试”，好吗？", "中文 “ 测试 ” ， 好吗 ？")]
    [InlineData("zh", "中文“测试”，好吗？", "中 文 “ 测 试 ” ， 好 吗 ？")]
    [InlineData("13a", "It&apos;s <skipped> fine.", "It & apos ; s fine .")]
    [InlineData("13a", "a.b,c 10.5 x.", "a . b , c 10.5 x .")]
    [InlineData("char", "ab c😀", "a b   c 😀")]
    [InlineData("none", "  keep  as is ", "  keep  as is ")]
    public void TokenizesAsSacreBleu(string tokenizer, string text, string expected) =>
        Assert.Equal(expected, BleuTokenizer.FromName(tokenizer).Tokenize(text));

    [Theory]
    [InlineData("ΟΔΟΣ ΣΑΣ.", "οδος σας.")] // final sigma at the end of a word
    [InlineData("AΣ b", "aς b")]
    [InlineData("Σ", "σ")]
    [InlineData("İstanbul", "i\u0307stanbul")] // full lowercase mapping of U+0130
    [InlineData("ÄBC", "äbc")]
    public void LowercasesAsPython(string text, string expected) => Assert.Equal(expected, PythonText.Lower(text));

    [Fact]
    public void PythonWhitespaceIncludesTheInformationSeparators()
    {
        Assert.Equal(["a", "b", "c", "d"], PythonText.Split("a\u001Cb\u00A0c\u3000d"));
        Assert.Equal("x", PythonText.Strip("\u001F x \u2028"));
    }

    [Fact]
    public void UnknownNamesAreRefused()
    {
        Assert.Throws<ArgumentException>(() => BleuTokenizer.FromName("ja-mecab"));
        Assert.Throws<ArgumentException>(() => BleuSmoothingNames.Parse("add-one"));
        Assert.Throws<ArgumentException>(() => new BleuScorer(new BleuOptions { MaxNgramOrder = 0 }));
    }

    [Fact]
    public void SignatureSpellsOutTheSettingsAsSacreBleu()
    {
        Assert.Equal("nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0", new BleuScorer().Signature(1));
        Assert.Equal("nrefs:2|case:lc|eff:yes|tok:intl|smooth:floor[0.10]|version:2.6.0",
            new BleuScorer(new BleuOptions { Lowercase = true, EffectiveOrder = true, Tokenize = "intl", Smoothing = BleuSmoothing.Floor }).Signature(2));
        Assert.Equal("nrefs:1|case:mixed|eff:no|tok:zh|smooth:add-k[2.00]|version:2.6.0",
            new BleuScorer(new BleuOptions { Tokenize = "zh", Smoothing = BleuSmoothing.AddK, SmoothValue = 2 }).Signature(1));
    }

    [Fact]
    public void ClosestReferenceLengthPrefersTheShorterOnATie()
    {
        Assert.Equal(4, BleuScorer.ClosestRefLength(5, [6, 4]));
        Assert.Equal(6, BleuScorer.ClosestRefLength(6, [4, 6, 8]));
        Assert.Equal(9, BleuScorer.ClosestRefLength(12, [1, 9]));
    }

    [Fact]
    public void PythonSumCompensatesAsCPython312()
    {
        // Plain left-to-right addition gives 0 here; CPython 3.12's compensated sum() gives 1.
        Assert.Equal(1.0, BleuScorer.PythonSum([1e100, 1.0, -1e100]));
    }
}
