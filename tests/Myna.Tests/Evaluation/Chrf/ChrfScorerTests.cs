using Myna.Evaluation.Chrf;

namespace Myna.Tests.Evaluation.Chrf;

/// <summary>chrF details the peer cases touch only in passing: options, n-gram counting over code points, the
/// chrF++ word split, reference choice and errors.</summary>
public class ChrfScorerTests
{
    [Fact]
    public void NamesAndSignaturesFollowTheOptions()
    {
        Assert.Equal("chrF2", new ChrfScorer().Name);
        Assert.Equal("chrF2++", new ChrfScorer(ChrfOptions.ChrfPlusPlus).Name);
        Assert.Equal("chrF3+", new ChrfScorer(new ChrfOptions { Beta = 3, WordOrder = 1 }).Name);
        Assert.Equal("nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0", new ChrfScorer().Signature(1));
        Assert.Equal("nrefs:3|case:lc|eff:no|nc:4|nw:2|space:yes|version:2.6.0",
            new ChrfScorer(new ChrfOptions { CharOrder = 4, WordOrder = 2, Lowercase = true, Whitespace = true, EpsSmoothing = true }).Signature(3));
    }

    [Fact]
    public void CharacterNgramsAreCodePointsWithoutWhiteSpace()
    {
        // "𠮷" is one code point (two UTF-16 units): "a 𠮷b" has 3 characters once the space is gone, so 3 unigrams,
        // 2 bigrams, 1 trigram, no 4-grams.
        var stats = new ChrfScorer(new ChrfOptions { CharOrder = 4 }).SegmentStatistics("a 𠮷b", ["a𠮷b"]);
        Assert.Equal([3L, 3, 3, 2, 2, 2, 1, 1, 1, 0, 0, 0], stats.Values);
    }

    [Fact]
    public void WordSplitTakesOnePunctuationMarkOffTheEndOrElseTheStart()
    {
        Assert.Equal(["(hi", ")", "there", ",", "\"friend\"", "!"], ChrfNgrams.SplitPunctuation("(hi) there, \"friend\"!"));
        Assert.Equal(["-", "c", "x", "..", ".", "a-b", "\u00BFque", "𠮷"], ChrfNgrams.SplitPunctuation(" -c x ... a-b \u00BFque 𠮷 "));
    }

    [Fact]
    public void EachSegmentTakesTheReferenceWithTheBestFScore()
    {
        var scorer = new ChrfScorer(ChrfOptions.ChrfPlusPlus);
        ChrfStatistics best = scorer.SegmentStatistics("the cat sat", ["a dog ran", "the cat sat", "the cat"]);
        Assert.Equal(scorer.SegmentStatistics("the cat sat", ["the cat sat"]).Values, best.Values);
        Assert.Equal(100.0, scorer.Compute(best).Score);
        // On a tie the first reference stays: both give 0 here, and the first one's reference counts are kept.
        ChrfStatistics tie = scorer.SegmentStatistics("xyz", ["ab", "abcd"]);
        Assert.Equal(2, tie.Reference(0));
    }

    [Fact]
    public void LowercaseMakesCaseIrrelevant()
    {
        var scorer = new ChrfScorer(new ChrfOptions { Lowercase = true });
        Assert.Equal(100.0, scorer.SentenceScore("HELLO World", ["hello world"]).Score);
        Assert.True(new ChrfScorer().SentenceScore("HELLO World", ["hello world"]).Score < 100);
    }

    [Fact]
    public void CorpusStatisticsAreTheSumOfSegmentStatistics()
    {
        var scorer = new ChrfScorer(ChrfOptions.ChrfPlusPlus);
        string[] hyps = ["the cat sat on a mat", "Debian is free."];
        string[] refs = ["the cat sat on the mat", "Debian is a free system."];
        ChrfStatistics sum = scorer.SegmentStatistics(hyps[0], [refs[0]]).Add(scorer.SegmentStatistics(hyps[1], [refs[1]]));
        ChrfScore corpus = scorer.CorpusScore(hyps, [refs]);
        Assert.Equal(sum.Values, corpus.Statistics.Values);
        Assert.Equal(scorer.FScore(sum), corpus.Score);
    }

    [Fact]
    public void BadOptionsAndMisalignedInputAreRefused()
    {
        Assert.Throws<ArgumentException>(() => new ChrfScorer(new ChrfOptions { CharOrder = 0 }));
        Assert.Throws<ArgumentException>(() => new ChrfScorer(new ChrfOptions { WordOrder = -1 }));
        Assert.Throws<ArgumentException>(() => new ChrfScorer(new ChrfOptions { Beta = -2 }));
        var scorer = new ChrfScorer();
        var ex = Assert.Throws<ArgumentException>(() => scorer.CorpusScore(["a", "b"], [["a"]]));
        Assert.Contains("reference stream 1 has 1 segments but there are 2 hypotheses", ex.Message);
        Assert.Throws<ArgumentException>(() => scorer.CorpusScore(["a"], []));
        Assert.Throws<ArgumentException>(() => scorer.SentenceScore("a", []));
        Assert.Throws<ArgumentException>(() => scorer.Compute(ChrfStatistics.Zero(8)));
    }
}
