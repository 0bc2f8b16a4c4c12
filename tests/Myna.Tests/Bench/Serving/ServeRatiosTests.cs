using Myna.Bench.Serving;

namespace Myna.Tests.Bench.Serving;

/// <summary>The ratios: what is divided by what, the targets, and which side of a target passes.</summary>
public class ServeRatiosTests
{
    [Fact]
    public void EachRatioDividesItsTwoFiguresAndJudgesItsTarget()
    {
        var ratios = new ServeRatios(Concurrency1: 90, Concurrency8: 380, BatchingOff: 100, EngineBatch1: 95, EngineBatch8: 400, LlamaBatch8: 200,
            InterferenceP50: 20, InterferenceP99: 70).Compute().ToDictionary(r => r.Name);

        Assert.Equal(["batching_gain", "batching_on_vs_off", "server_vs_engine_batch1", "server_vs_engine_batch8", "server_vs_llama_batch8", "prefill_interference"],
            ratios.Keys);
        Assert.Equal(380.0 / 90, ratios["batching_gain"].Value, 12);
        Assert.True(ratios["batching_gain"].Met); // 4.22 ≥ 4
        Assert.Equal(3.8, ratios["batching_on_vs_off"].Value, 12);
        Assert.Equal(90.0 / 95, ratios["server_vs_engine_batch1"].Value, 12);
        Assert.True(ratios["server_vs_engine_batch1"].Met); // 0.947 ≥ 0.9
        Assert.Equal(0.95, ratios["server_vs_engine_batch8"].Value, 12);
        Assert.Equal(1.9, ratios["server_vs_llama_batch8"].Value, 12);
        // The interference ratio must stay at or below its target: 3.5 > 3 fails.
        Assert.Equal(3.5, ratios["prefill_interference"].Value, 12);
        Assert.True(ratios["prefill_interference"].AtMost);
        Assert.False(ratios["prefill_interference"].Met);
    }

    [Theory]
    [InlineData(4.0, false, 4.0, true)]
    [InlineData(3.99, false, 4.0, false)]
    [InlineData(3.0, true, 3.0, true)]
    [InlineData(3.01, true, 3.0, false)]
    public void TargetsIncludeTheirBound(double value, bool atMost, double target, bool met) =>
        Assert.Equal(met, new ServeRatio("r", "", value, target, atMost).Met);

    [Fact]
    public void RatiosWithoutBothFiguresAreLeftOut()
    {
        IReadOnlyList<ServeRatio> ratios = new ServeRatios(Concurrency1: 90, Concurrency8: 380, BatchingOff: 0, EngineBatch1: null, EngineBatch8: 400, LlamaBatch8: null,
            InterferenceP50: null, InterferenceP99: null).Compute();

        // No llama.cpp, no interference run, no engine batch-1 figure; a zero divisor gives no ratio either.
        Assert.Equal(["batching_gain", "server_vs_engine_batch8"], ratios.Select(r => r.Name));
    }
}
