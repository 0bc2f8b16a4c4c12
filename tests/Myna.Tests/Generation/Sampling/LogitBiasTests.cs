using Myna.Generation;
using Myna.Generation.Sampling;

namespace Myna.Tests.Generation.Sampling;

/// <summary><see cref="GenerationOptions.LogitBias"/>: +100 forces a token, −100 bans one, greedy or sampled; out-of-range biases are refused by name.</summary>
public class LogitBiasTests
{
    private static float[] RandomLogits(Random random, int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 10 - 5)).ToArray();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_bias_of_plus_100_forces_the_token(bool sample)
    {
        var random = new Random(11);
        var options = new GenerationOptions { DoSample = sample, Temperature = 1.5f, LogitBias = new Dictionary<int, float> { [37] = 100f } };
        var sampler = new TokenSampler(options, 5);
        for (int i = 0; i < 200; i++)
        {
            (int token, float logProb) = sampler.Next(RandomLogits(random, 100), [], new Dictionary<int, int>());
            Assert.Equal(37, token);
            Assert.True(logProb > -1e-3f, $"the forced token should be certain; its log-probability is {logProb}");
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_bias_of_minus_100_bans_the_token(bool sample)
    {
        var random = new Random(12);
        for (int i = 0; i < 300; i++)
        {
            float[] logits = RandomLogits(random, 6);
            int favourite = LogitsProcessing.ArgMax(logits);
            var options = new GenerationOptions { DoSample = sample, Temperature = 2f, LogitBias = new Dictionary<int, float> { [favourite] = -100f } };
            (int token, _) = new TokenSampler(options, i).Next(logits, [], new Dictionary<int, int>());
            Assert.NotEqual(favourite, token);
        }
    }

    [Fact]
    public void The_bias_comes_before_the_penalties()
    {
        // Token 1 is biased up by 3 and penalised by 2 for one earlier use: 0 + 3 − 2 = 1 beats token 0's 0.5.
        var options = new GenerationOptions { FrequencyPenalty = 2f, LogitBias = new Dictionary<int, float> { [1] = 3f }, ReturnLogProbs = true };
        float[] logits = [0.5f, 0f];
        (int token, _) = new TokenSampler(options, 0).Next(logits, [], new Dictionary<int, int> { [1] = 1 });
        Assert.Equal(1, token);
        Assert.Equal([0.5f, 1f], logits);
    }

    [Fact]
    public void Out_of_range_biases_and_ids_are_refused_naming_the_option()
    {
        var tooBig = new GenerationOptions { LogitBias = new Dictionary<int, float> { [3] = 100.5f } };
        Assert.Contains("LogitBias", Assert.Throws<ArgumentException>(tooBig.Validate).Message);
        var negative = new GenerationOptions { LogitBias = new Dictionary<int, float> { [-1] = 1f } };
        Assert.Contains("LogitBias", Assert.Throws<ArgumentException>(negative.Validate).Message);
        var outside = new GenerationOptions { LogitBias = new Dictionary<int, float> { [257] = 1f } };
        outside.Validate();
        Assert.Contains("LogitBias names token 257", Assert.Throws<ArgumentException>(() => outside.Validate(257)).Message);
    }
}
