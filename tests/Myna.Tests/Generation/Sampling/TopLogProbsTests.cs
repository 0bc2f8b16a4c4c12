using Myna.Generation;
using Myna.Generation.Sampling;

namespace Myna.Tests.Generation.Sampling;

/// <summary>
/// Alternatives per token (<see cref="GenerationOptions.TopLogProbs"/>): the heap selection against a full sort, and the
/// values against a log-softmax in double of the distribution the token was chosen from.
/// </summary>
public class TopLogProbsTests
{
    [Fact]
    public void Selection_equals_a_full_sort_ties_going_to_the_lower_index()
    {
        var random = new Random(21);
        for (int trial = 0; trial < 500; trial++)
        {
            int n = random.Next(1, 400), k = random.Next(0, 25);
            // Few distinct values so that ties are common; some rows all below the floor.
            float[] scores = Enumerable.Range(0, n).Select(_ => (float)random.Next(-3, random.Next(1, 30))).ToArray();
            float floor = random.Next(3) == 0 ? 0f : float.NegativeInfinity;
            int[] expected = Enumerable.Range(0, n).Where(i => scores[i] > floor).OrderByDescending(i => scores[i]).ThenBy(i => i).Take(k).ToArray();
            var top = new int[k];
            int found = LogitsProcessing.SelectLargest(scores, top, floor);
            Assert.Equal(expected, top[..found]);
        }
    }

    /// <summary>log softmax in double: the reference.</summary>
    private static double[] LogSoftmax(float[] logits)
    {
        double max = logits.Max(), logSum = Math.Log(logits.Sum(v => Math.Exp(v - max)));
        return logits.Select(v => v - max - logSum).ToArray();
    }

    [Fact]
    public void Greedy_alternatives_are_the_most_likely_tokens_of_the_biased_row()
    {
        var random = new Random(22);
        for (int trial = 0; trial < 100; trial++)
        {
            float[] logits = Enumerable.Range(0, 500).Select(_ => (float)(random.NextDouble() * 12 - 6)).ToArray();
            var options = new GenerationOptions { ReturnLogProbs = true, TopLogProbs = 7, LogitBias = new Dictionary<int, float> { [trial] = 9f } };
            float[] expectedRow = (float[])logits.Clone();
            expectedRow[trial] += 9f;
            double[] reference = LogSoftmax(expectedRow);
            (int token, float logProb) = new TokenSampler(options, 0).Next(logits, [], new Dictionary<int, int>(), true, 7, out TokenLogProbability[]? top);
            Assert.NotNull(top);
            Assert.Equal(Enumerable.Range(0, 500).OrderByDescending(i => reference[i]).Take(7), top.Select(t => t.TokenId));
            foreach (TokenLogProbability entry in top) Assert.Equal(reference[entry.TokenId], entry.LogProb, 1e-5);
            Assert.Equal(token, top[0].TokenId);
            Assert.Equal(logProb, top[0].LogProb); // the same number, bit for bit
        }
    }

    [Fact]
    public void Sampled_alternatives_describe_the_distribution_after_temperature_and_filters()
    {
        var random = new Random(23);
        for (int trial = 0; trial < 100; trial++)
        {
            float[] logits = Enumerable.Range(0, 300).Select(_ => (float)(random.NextDouble() * 8 - 4)).ToArray();
            var options = new GenerationOptions { DoSample = true, Temperature = 0.7f, TopK = 4, ReturnLogProbs = true, TopLogProbs = 6 };
            // Reference: divide by the temperature, keep the four largest, normalise.
            float[] scaled = logits.Select(v => v * (1f / 0.7f)).ToArray();
            int[] kept = Enumerable.Range(0, 300).OrderByDescending(i => scaled[i]).Take(4).ToArray();
            double[] reference = LogSoftmax(kept.Select(i => scaled[i]).ToArray());
            (int token, float logProb) = new TokenSampler(options, trial).Next(logits, [], new Dictionary<int, int>(), true, 6, out TokenLogProbability[]? top);
            Assert.NotNull(top);
            Assert.Equal(kept, top.Select(t => t.TokenId)); // four, not six: filtered tokens have probability 0 and are not listed
            for (int i = 0; i < kept.Length; i++) Assert.Equal(reference[i], top[i].LogProb, 1e-5);
            Assert.Equal(logProb, Assert.Single(top, t => t.TokenId == token).LogProb);
        }
    }

    [Fact]
    public void Alternatives_need_log_probabilities_and_stay_within_twenty()
    {
        Assert.Contains("TopLogProbs", Assert.Throws<ArgumentException>(new GenerationOptions { TopLogProbs = 3 }.Validate).Message);
        Assert.Contains("TopLogProbs", Assert.Throws<ArgumentException>(new GenerationOptions { TopLogProbs = 21, ReturnLogProbs = true }.Validate).Message);
        Assert.Contains("PromptLogProbs", Assert.Throws<ArgumentException>(new GenerationOptions { PromptLogProbs = -1 }.Validate).Message);
    }
}
