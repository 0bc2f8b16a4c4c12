using Myna.Bench.Serving;

namespace Myna.Tests.Bench.Serving;

/// <summary>Percentiles as NumPy's default (linear) method computes them.</summary>
public class LatencyPercentilesTests
{
    [Theory]
    // Values from numpy.percentile(values, q) with its default method, "linear".
    [InlineData(new[] { 1.0, 2, 3, 4 }, 50, 2.5)]
    [InlineData(new[] { 1.0, 2, 3, 4 }, 95, 3.85)]
    [InlineData(new[] { 1.0, 2, 3, 4 }, 99, 3.97)]
    [InlineData(new[] { 15.0, 20, 35, 40, 50 }, 40, 29)]
    [InlineData(new[] { 15.0, 20, 35, 40, 50 }, 0, 15)]
    [InlineData(new[] { 15.0, 20, 35, 40, 50 }, 100, 50)]
    [InlineData(new[] { 7.0 }, 99, 7)]
    public void PercentileInterpolatesBetweenTheNearestRanks(double[] sorted, double percent, double expected) =>
        Assert.Equal(expected, LatencyPercentiles.Percentile(sorted, percent), 12);

    [Fact]
    public void OfSortsItsInput()
    {
        LatencyPercentiles p = LatencyPercentiles.Of([4.0, 1, 3, 2])!;

        Assert.Equal(2.5, p.P50, 12);
        Assert.Equal(3.85, p.P95, 12);
        Assert.Equal(3.97, p.P99, 12);
    }

    [Fact]
    public void NoValuesHaveNoPercentiles()
    {
        Assert.Null(LatencyPercentiles.Of([]));
        Assert.Throws<ArgumentException>(() => LatencyPercentiles.Percentile([], 50));
        Assert.Throws<ArgumentException>(() => LatencyPercentiles.Percentile([1.0], 101));
    }
}
