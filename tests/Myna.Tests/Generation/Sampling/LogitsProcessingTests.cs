using Myna.Generation;
using Myna.Generation.Sampling;

namespace Myna.Tests.Generation.Sampling;

public class LogitsProcessingTests
{
    [Fact]
    public void RepetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOncePerToken()
    {
        float[] logits = [2f, -2f, 1f];
        LogitsProcessing.ApplyRepetitionPenalty(logits, [0, 1, 0], 2f);
        Assert.Equal([1f, -4f, 1f], logits);
    }

    [Fact]
    public void PresenceAndFrequencyPenaltiesFollowOpenAi()
    {
        float[] logits = [1f, 1f, 1f];
        LogitsProcessing.ApplyPresenceAndFrequencyPenalties(logits, new Dictionary<int, int> { [0] = 3, [2] = 1 }, 0.5f, 0.25f);
        Assert.Equal([1f - 0.5f - 0.75f, 1f, 1f - 0.5f - 0.25f], logits);
    }

    [Fact]
    public void TopKKeepsTheKLargestAndTheirTies()
    {
        float[] logits = [1f, 5f, 3f, 3f, 0f];
        LogitsProcessing.KeepTopK(logits, 2);
        Assert.Equal([float.NegativeInfinity, 5f, 3f, 3f, float.NegativeInfinity], logits);
    }

    [Fact]
    public void TopPKeepsTheSmallestSetReachingP()
    {
        float[] logits = [MathF.Log(0.05f), MathF.Log(0.5f), MathF.Log(0.15f), MathF.Log(0.3f)];
        int[] order = [];
        LogitsProcessing.KeepTopP(logits, 0.75f, ref order);
        Assert.True(float.IsNegativeInfinity(logits[0]));
        Assert.True(float.IsNegativeInfinity(logits[2]));
        Assert.True(float.IsFinite(logits[1]) && float.IsFinite(logits[3]));
    }

    [Fact]
    public void TopPAlwaysKeepsTheMostLikelyToken()
    {
        float[] logits = [0f, 10f];
        int[] order = [];
        LogitsProcessing.KeepTopP(logits, 0.0001f, ref order);
        Assert.Equal(10f, logits[1]);
        Assert.True(float.IsNegativeInfinity(logits[0]));
    }

    [Fact]
    public void GreedyTakesTheFirstMaximum()
    {
        var sampler = new TokenSampler(new GenerationOptions(), 0);
        float[] logits = [1f, 3f, 3f];
        Assert.Equal(1, sampler.Next(logits, [], new Dictionary<int, int>()).Token);
    }

    [Fact]
    public void SamplingFollowsTheDistributionAndIsReproducibleFromItsSeed()
    {
        float[] probabilities = [0.1f, 0.6f, 0.3f];
        var options = new GenerationOptions { DoSample = true };
        int[] Draws(int seed)
        {
            var sampler = new TokenSampler(options, seed);
            var counts = new int[3];
            for (int i = 0; i < 20_000; i++)
            {
                float[] logits = probabilities.Select(p => MathF.Log(p)).ToArray();
                counts[sampler.Next(logits, [], new Dictionary<int, int>()).Token]++;
            }
            return counts;
        }
        int[] first = Draws(42);
        Assert.Equal(first, Draws(42));
        for (int i = 0; i < 3; i++) Assert.InRange(first[i] / 20_000.0, probabilities[i] - 0.015, probabilities[i] + 0.015);
    }

    [Fact]
    public void LogProbabilityIsUnderTheProcessedDistribution()
    {
        var sampler = new TokenSampler(new GenerationOptions(), 0);
        float[] logits = [MathF.Log(0.25f), MathF.Log(0.75f)];
        (int token, float logProb) = sampler.Next(logits, [], new Dictionary<int, int>());
        Assert.Equal(1, token);
        Assert.Equal(MathF.Log(0.75f), logProb, 5);
    }

    /// <summary>transformers' TopPLogitsWarper over a full ascending sort: the reference for the partial selection.</summary>
    private static bool[] SortedTopPKeeps(float[] logits, float p)
    {
        int n = logits.Length;
        int[] order = Enumerable.Range(0, n).OrderBy(i => logits[i]).ToArray();
        double max = logits.Max(), total = logits.Sum(v => Math.Exp(v - max)), cumulative = 0;
        var keep = Enumerable.Repeat(true, n).ToArray();
        for (int i = 0; i < n - 1; i++)
        {
            cumulative += Math.Exp(logits[order[i]] - max) / total;
            if (cumulative > 1.0 - p) break;
            keep[order[i]] = false;
        }
        return keep;
    }

    [Fact]
    public void TopPByPartialSelectionEqualsTheSortBasedResult()
    {
        var random = new Random(3);
        int[] order = [];
        for (int trial = 0; trial < 300; trial++)
        {
            int n = random.Next(2, 3000);
            double scale = random.Next(4) switch { 0 => 0.1, 1 => 1, 2 => 4, _ => 12 }; // flat to peaked
            // Distinct values: ties at the boundary are resolved differently by design (all ties are kept).
            float[] logits = Enumerable.Range(0, n).Select(i => (float)(random.NextDouble() * scale * 3 + i * 1e-4)).OrderBy(_ => random.Next()).ToArray();
            float p = random.Next(5) == 0 ? 0.999f : (float)random.NextDouble();
            if (p <= 0) p = 0.5f;
            bool[] expected = SortedTopPKeeps(logits, p);
            float[] filtered = (float[])logits.Clone();
            LogitsProcessing.KeepTopP(filtered, p, ref order);
            for (int i = 0; i < n; i++)
            {
                Assert.Equal(expected[i], float.IsFinite(filtered[i]));
                if (expected[i]) Assert.Equal(logits[i], filtered[i]);
            }
        }
    }

    [Fact]
    public void SoftmaxAgreesWithADoubleReferenceAtEveryLengthAndKeepsMaskedTokensAtZero()
    {
        var random = new Random(5);
        foreach (int n in new[] { 1, 2, 7, 15, 16, 17, 31, 33, 100, 50257 })
        {
            float[] logits = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 20 - 10)).ToArray();
            if (n > 3) logits[n / 2] = logits[n - 1] = float.NegativeInfinity; // masked by top-k or top-p
            double max = logits.Max(), total = logits.Sum(v => Math.Exp(v - max));
            float[] probabilities = new float[n + 3]; // longer than the row: the rest stays untouched
            probabilities[n] = 42f;
            LogitsProcessing.Softmax(logits, probabilities);
            for (int i = 0; i < n; i++) Assert.Equal(Math.Exp(logits[i] - max) / total, probabilities[i], 1e-6);
            if (n > 3) Assert.Equal(0f, probabilities[n - 1]);
            Assert.Equal(42f, probabilities[n]);
            Assert.Equal(logits.Select(v => (double)v).Sum(v => double.IsNegativeInfinity(v) ? 0 : v),
                LogitsProcessing.SumInDouble(logits.Select(v => float.IsNegativeInfinity(v) ? 0f : v).ToArray()), 1e-9 * n);
        }
    }

    [Fact]
    public void TopKBySelectionEqualsTheSortBasedResult()
    {
        var random = new Random(4);
        for (int trial = 0; trial < 300; trial++)
        {
            int n = random.Next(1, 2000), k = random.Next(1, n + 3);
            // Few distinct values so that ties at the K-th value are common.
            float[] logits = Enumerable.Range(0, n).Select(_ => (float)random.Next(random.Next(1, 40))).ToArray();
            float kth = k >= n ? float.NegativeInfinity : logits.OrderByDescending(v => v).ElementAt(k - 1);
            float[] filtered = (float[])logits.Clone();
            LogitsProcessing.KeepTopK(filtered, k);
            for (int i = 0; i < n; i++) Assert.Equal(logits[i] < kth ? float.NegativeInfinity : logits[i], filtered[i]);
        }
    }

    [Fact]
    public void GreedyWithoutLogProbsSkipsTheSoftmax()
    {
        var sampler = new TokenSampler(new GenerationOptions(), 0);
        (int token, float logProb) = sampler.Next([0f, 2f, 1f], [], new Dictionary<int, int>(), withLogProb: false);
        Assert.Equal(1, token);
        Assert.True(float.IsNaN(logProb));
    }
}
