using Myna.Text.Nlp;
using Myna.Text.Nlp.StopWords;

namespace Myna.Tests.Text.Nlp;

public class NlpTests
{
    [Fact]
    public void EnglishWordsAndNumbers()
    {
        var tokenizer = new EnglishTokenizer();
        Assert.Equal(["don't", "stop", "the", "state-of-the-art", "model", "at", "3.14", "it's", "café"],
            tokenizer.Tokenize("Don't stop the state-of-the-art model at 3.14! It's café."));
    }

    [Theory]
    [InlineData("running", "run")]
    [InlineData("caresses", "caress")]
    [InlineData("ponies", "poni")]
    [InlineData("relational", "relat")]
    [InlineData("generalizations", "gener")]
    [InlineData("hopeful", "hope")]
    public void PorterStemsAsTheAlgorithmSays(string word, string stem) => Assert.Equal(stem, EnglishTokenizer.Stem(word));

    [Fact]
    public void StemmingAndStopWordsTogether()
    {
        var tokenizer = new EnglishTokenizer(stem: true, removeStopWords: true);
        Assert.Equal(["cat", "run", "quickli"], tokenizer.Tokenize("The cats are running quickly"));
    }

    [Fact]
    public void StopWordListsAreLoaded()
    {
        Assert.Equal(127, StopWordLists.English.Count);
        Assert.Contains("the", (IReadOnlySet<string>)StopWordLists.English);
        Assert.Contains("The", (IReadOnlySet<string>)StopWordLists.English);
        Assert.True(StopWordLists.Chinese.Count > 400);
        Assert.Contains("我们", (IReadOnlySet<string>)StopWordLists.Chinese);
        Assert.DoesNotContain("模型", (IReadOnlySet<string>)StopWordLists.Chinese);
    }

    [Fact]
    public void JiebaSegmentsChinese()
    {
        var segmenter = new ChineseSegmenter();
        List<string> words = segmenter.Segment("我来到北京清华大学");
        Assert.Equal(["我", "来到", "北京", "清华大学"], words);
        List<string> filtered = new ChineseSegmenter(removeStopWords: true).Segment("我们在北京训练了一个语言模型。");
        Assert.Contains("北京", filtered);
        Assert.Contains("模型", filtered);
        Assert.DoesNotContain("我们", filtered);
        Assert.DoesNotContain("。", filtered);
    }

    [Fact]
    public void MixedTextGoesThroughBothTokenizers()
    {
        List<string> words = new WordTokenizer().Tokenize("我们用 PyTorch 训练 GPT 模型");
        Assert.Contains("pytorch", words);
        Assert.Contains("gpt", words);
        Assert.Contains("训练", words);
    }

    [Fact]
    public void TfIdfPrefersDistinctiveWords()
    {
        string[] docs =
        [
            "The river flooded the town after the storm.",
            "The town council met to discuss the budget.",
            "A storm is expected in the town tonight.",
            "Transformers learn attention patterns over tokens; attention is all you need.",
        ];
        TfIdfKeywords keywords = TfIdfKeywords.Fit(docs);
        Assert.Equal(4, keywords.DocumentCount);
        var top = keywords.Extract(docs[3], 3);
        Assert.Equal("attention", top[0].Word);
        Assert.True(keywords.Idf("town") < keywords.Idf("river"));
        Assert.Equal(keywords.Extract(docs[0]), keywords.Extract(docs[0]));

        TfIdfKeywords zh = TfIdfKeywords.Fit(["今天北京天气很好。", "北京的交通很拥堵。", "语言模型需要大量的训练数据，训练数据的质量决定了模型效果。"]);
        Assert.Contains(zh.Extract("语言模型需要大量的训练数据，训练数据的质量决定了模型效果。", 3), k => k.Word is "训练" or "数据" or "模型");
    }
}
