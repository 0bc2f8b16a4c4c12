using Myna.Text.Dedup;

namespace Myna.Tests.Text.Dedup;

public class DedupTests
{
    private static string Article(int seed, int words = 120)
    {
        var random = new Random(seed);
        string[] vocabulary = ["data", "model", "river", "token", "green", "market", "learn", "quiet", "stone", "paper",
            "light", "seven", "north", "build", "train", "small", "large", "house", "music", "field", "clear", "water"];
        return string.Join(' ', Enumerable.Range(0, words).Select(_ => vocabulary[random.Next(vocabulary.Length)]));
    }

    [Fact]
    public void ExactIgnoresCaseSpacingAndPunctuation()
    {
        var dedup = new ExactDeduplicator();
        Assert.False(dedup.IsDuplicate("Hello, World! This is a test."));
        Assert.True(dedup.IsDuplicate("hello world   this is a TEST"));
        Assert.False(dedup.IsDuplicate("hello world this is another test"));
        Assert.False(dedup.IsDuplicate("你好，世界"));
        Assert.True(dedup.IsDuplicate("你好 世界。"));
        Assert.Equal(3, dedup.Count);
    }

    [Fact]
    public void BandingSuitsTheThreshold()
    {
        (int b, int r) = NearDeduplicator.ChooseBands(0.8, 128);
        Assert.True(b * r <= 128);
        // The S-curve's midpoint (1/b)^(1/r) sits near the threshold.
        double midpoint = Math.Pow(1.0 / b, 1.0 / r);
        Assert.InRange(midpoint, 0.65, 0.9);
    }

    [Fact]
    public void NearDuplicatesAreFoundAndDistinctTextsKept()
    {
        var dedup = new NearDeduplicator(new MinHashOptions());
        string original = Article(1);
        string[] words = original.Split(' ');
        words[60] = "changed"; // one word in 120: Jaccard of 5-shingles ≈ 0.92
        string edited = string.Join(' ', words);

        Assert.False(dedup.IsDuplicate(original, out _));
        Assert.True(dedup.IsDuplicate(edited, out double similarity));
        Assert.InRange(similarity, 0.8, 1.0);
        for (int seed = 2; seed < 40; seed++)
            Assert.False(dedup.IsDuplicate(Article(seed), out _), $"article {seed} is not a duplicate");
        // Half the text rewritten: far below 0.8.
        string half = string.Join(' ', original.Split(' ').Take(60).Concat(Article(99).Split(' ').Take(60)));
        Assert.False(dedup.IsDuplicate(half, out _));
    }

    [Fact]
    public void SameInputSameDecisions()
    {
        static List<bool> Run()
        {
            var dedup = new NearDeduplicator(new MinHashOptions { Threshold = 0.7 });
            return Enumerable.Range(0, 30).Select(i => dedup.IsDuplicate(Article(i % 20, 40 + i % 7), out _)).ToList();
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void EstimateTracksTrueJaccard()
    {
        var dedup = new NearDeduplicator(new MinHashOptions { Permutations = 256, ShingleSize = 1 });
        // Sets of 100 distinct words sharing 60: Jaccard = 60 / 140.
        string a = string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}"));
        string b = string.Join(' ', Enumerable.Range(40, 100).Select(i => $"w{i}"));
        double estimate = NearDeduplicator.Similarity(dedup.Signature(a), dedup.Signature(b));
        Assert.InRange(estimate, 60.0 / 140 - 0.1, 60.0 / 140 + 0.1);
    }

    [Fact]
    public void ChineseNearDuplicates()
    {
        var dedup = new NearDeduplicator(new MinHashOptions());
        const string text = "机器学习是人工智能的一个分支。它使用统计方法让计算机系统从数据中学习，而不需要明确的编程。深度学习是机器学习的一个子领域，使用多层神经网络来学习数据的表示。";
        Assert.False(dedup.IsDuplicate(text, out _));
        Assert.True(dedup.IsDuplicate(text.Replace("统计方法", "统计的方法"), out _));
    }
}
