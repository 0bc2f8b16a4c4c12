using Myna.Generation;
using Myna.Generation.Sampling;

namespace Myna.Tests.Generation.Sampling;

public class TinyTemperatureTests
{
    [Theory]
    [InlineData(1e-38f)]
    [InlineData(1e-20f)]
    [InlineData(9e-6f)]
    public void ATemperatureNearZeroPicksTheArgmaxInsteadOfOverflowing(float temperature)
    {
        var options = new GenerationOptions { DoSample = true, Temperature = temperature };
        for (int seed = 0; seed < 20; seed++)
        {
            // Token 0 stands for end-of-text: what a NaN distribution would draw first.
            float[] logits = [3.5f, -40f, 12.25f, 12.0f, 7f];
            (int token, float logProb) = new TokenSampler(options, seed).Next(logits, [], new Dictionary<int, int>());
            Assert.Equal(2, token);
            Assert.True(float.IsFinite(logProb));
        }
    }

    [Fact]
    public void TheThresholdIsVllms() => Assert.Equal(1e-5f, GenerationOptions.GreedyBelowTemperature);
}
