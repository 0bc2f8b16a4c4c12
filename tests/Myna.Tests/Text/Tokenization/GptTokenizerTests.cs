using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Myna.Text.Tokenization;

namespace Myna.Tests.Text.Tokenization;

public class GptTokenizerTests(Gpt2DirectoryFixture files) : IClassFixture<Gpt2DirectoryFixture>
{
    private static readonly GptTokenizer Gpt2 = GptTokenizer.Gpt2();

    [Theory]
    [MemberData(nameof(PeerCases.Encode), MemberType = typeof(PeerCases))]
    public void EncodesPeerCasesLikeTiktokenAndHuggingFace(PeerCases.Case peer)
    {
        Assert.Equal(peer.Ids, Gpt2.Encode(peer.Text, allowSpecial: peer.SpecialTokens));
        Assert.Equal(peer.Text, Gpt2.Decode(peer.Ids));
    }

    [Theory]
    [MemberData(nameof(PeerCases.Decode), MemberType = typeof(PeerCases))]
    public void DecodesPeerCases(PeerCases.Case peer) => Assert.Equal(peer.Text, Gpt2.Decode(peer.Ids));

    [Theory]
    [MemberData(nameof(PeerCases.Encode), MemberType = typeof(PeerCases))]
    public void DirectoryFormsOfGpt2EncodeLikeTheBuiltIn(PeerCases.Case peer)
    {
        foreach (string directory in new[] { files.VocabMergesDirectory, files.TokenizerJsonDirectory })
        {
            GptTokenizer fromFiles = GptTokenizer.FromDirectory(directory);
            Assert.Equal(peer.Ids, fromFiles.Encode(peer.Text, allowSpecial: peer.SpecialTokens));
            Assert.Equal(peer.Text, fromFiles.Decode(peer.Ids));
        }
    }

    [Theory]
    // Hard cases named by the issue, with ids checked against tiktoken's gpt2 encoding.
    [InlineData("Hello, I am a product manager.", new[] { 15496, 11, 314, 716, 257, 1720, 4706, 13 })]
    [InlineData("  leading", new[] { 220, 3756 })]
    [InlineData("a   b", new[] { 64, 220, 220, 275 })]
    [InlineData("don't we'll I'M", new[] { 9099, 470, 356, 1183, 314, 6, 44 })]
    [InlineData("line1\nline2\n\n\tx", new[] { 1370, 16, 198, 1370, 17, 628, 197, 87 })]
    [InlineData("12345 3.14159", new[] { 10163, 2231, 513, 13, 1415, 19707 })]
    public void EncodesHardCases(string text, int[] expected) => Assert.Equal(expected, Gpt2.Encode(text));

    [Fact]
    public void SpecialTokensArePlainTextUnlessAllowed()
    {
        const string text = "hello <|endoftext|>";
        int[] plain = Gpt2.Encode(text);
        Assert.DoesNotContain(50256, plain);
        Assert.Equal(text, Gpt2.Decode(plain));
        Assert.Equal([31373, 220, 50256], Gpt2.Encode(text, allowSpecial: true));
        Assert.Equal("hello ", Gpt2.Decode([31373, 220, 50256], skipSpecialTokens: true));
        Assert.Equal(50256, Gpt2.EndOfTextId);
        Assert.Equal(50257, Gpt2.VocabSize);
    }

    [Fact]
    public void SpecialTokensSplitTheTextWhereverTheyAppear()
    {
        int[] ids = Gpt2.Encode("<|endoftext|>a<|endoftext|><|endoftext|>b", allowSpecial: true);
        Assert.Equal([50256, 64, 50256, 50256, 65], ids);
    }

    [Fact]
    public void IncompleteUtf8DecodesToReplacementCharacter()
    {
        // " 👋" is 50169 + 233: 50169 is the space and the first bytes of the emoji, which alone are not UTF-8.
        Assert.Equal(" \uFFFD", Gpt2.Decode([50169]));
        Assert.Equal(" 👋", Gpt2.Decode([50169, 233]));
    }

    [Fact]
    public void UnpairedSurrogateIsRefusedWithItsPosition()
    {
        var error = Assert.Throws<ArgumentException>(() => Gpt2.Encode("ab\uD800c"));
        Assert.Contains("index 2", error.Message);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(50257)]
    public void DecodingAnIdOutsideTheVocabularyIsAnError(int id) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Gpt2.Decode([15496, id]));

    [Fact]
    public void RoundTripsRandomUnicode()
    {
        Prop.ForAll(UnicodeStrings(), text => Gpt2.Decode(Gpt2.Encode(text)) == text)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void DirectoryTokenizerRoundTripsAndAgreesWithBuiltInOnRandomUnicode()
    {
        GptTokenizer fromFiles = GptTokenizer.FromDirectory(files.TokenizerJsonDirectory);
        Prop.ForAll(UnicodeStrings(), text =>
                fromFiles.Encode(text).SequenceEqual(Gpt2.Encode(text)) && fromFiles.Decode(fromFiles.Encode(text)) == text)
            .Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }

    [Fact]
    public void FingerprintDiffersBetweenTokenizersAndIsStable()
    {
        GptTokenizer a = GptTokenizer.FromDirectory(files.VocabMergesDirectory);
        GptTokenizer b = GptTokenizer.FromDirectory(files.VocabMergesDirectory);
        Assert.Equal(a.Fingerprint, b.Fingerprint);
        Assert.NotEqual(a.Fingerprint, Gpt2.Fingerprint);
        Assert.Matches("^[0-9a-f]{64}$", a.Fingerprint);
    }

    /// <summary>Strings of Unicode scalar values mixing ASCII, white space, Latin, CJK, emoji and rarer planes.</summary>
    private static Arbitrary<string> UnicodeStrings()
    {
        Gen<int> scalar = Gen.Frequency(
        [
            (6, Gen.Choose(0x20, 0x7E)),
            (2, Gen.Elements(0x20, 0x0A, 0x09, 0x0D, 0x27)),
            (2, Gen.Choose(0xA0, 0x24F)),
            (2, Gen.Choose(0x4E00, 0x9FFF)),
            (1, Gen.Choose(0x1F300, 0x1FAFF)),
            (1, Gen.Choose(0x0, 0xD7FF)),
            (1, Gen.Choose(0xE000, 0x10FFFF)),
        ]);
        Gen<string> text = scalar.ArrayOf().Select(cs => string.Concat(cs.Select(char.ConvertFromUtf32)));
        return text.ToArbitrary();
    }
}
