using Myna.Apps.Recommendation;

namespace Myna.Tests.Apps.Recommendation;

public sealed class PairedBootstrapTests
{
    [Fact]
    public void A_consistent_gain_excludes_zero_and_noise_does_not()
    {
        var random = new Random(1);
        double[] baseline = [.. Enumerable.Range(0, 300).Select(_ => random.NextDouble())];
        double[] better = [.. baseline.Select(v => v + 0.05 + (random.NextDouble() - 0.5) * 0.02)];
        PairedBootstrap gain = PairedBootstrap.Compute(better, baseline, 1000, 42);
        Assert.InRange(gain.MeanDifference, 0.049, 0.051);
        Assert.True(gain.Low > 0 && gain.Low < gain.MeanDifference && gain.High > gain.MeanDifference);

        double[] noise = [.. baseline.Select(v => v + (random.NextDouble() - 0.5) * 0.2)];
        PairedBootstrap none = PairedBootstrap.Compute(noise, baseline, 1000, 42);
        Assert.False(none.ExcludesZero, $"[{none.Low}, {none.High}]");
    }

    [Fact]
    public void The_same_seed_gives_the_same_interval()
    {
        double[] a = [0.1, 0.5, 0.3, 0.9, 0.0], b = [0.2, 0.1, 0.3, 0.4, 0.0];
        Assert.Equal(PairedBootstrap.Compute(a, b, 500, 7), PairedBootstrap.Compute(a, b, 500, 7));
        Assert.Throws<ArgumentException>(() => PairedBootstrap.Compute(a, [0.1], 500, 7));
    }
}
