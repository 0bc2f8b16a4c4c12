using Myna.Models.Perplexity;

namespace Myna.Tests.Models.Perplexity;

public class PerplexityWindowsTests
{
    [Theory]
    [InlineData(21047, 256, 128)]
    [InlineData(150, 64, 64)]
    [InlineData(150, 64, 32)]
    [InlineData(150, 20, 7)]
    [InlineData(40, 2, 1)]
    [InlineData(30, 64, 32)]
    [InlineData(2, 2, 2)]
    public void ScoredRangesTileTheTextAndEachTokenHasItsContext(int count, int window, int stride)
    {
        IReadOnlyList<PerplexityWindow> windows = PerplexityWindows.Plan(count, window, stride);
        int next = 1;
        foreach (PerplexityWindow w in windows)
        {
            Assert.Equal(next, w.FirstScored);
            Assert.True(w.Start >= 0 && w.Start < w.FirstScored && w.FirstScored < w.End && w.End <= count, w.ToString());
            Assert.True(w.Length <= window, w.ToString());
            // At least window − stride tokens of context for the first scored token, or everything before it.
            Assert.True(w.FirstScored - w.Start >= Math.Min(Math.Max(1, window - stride), w.FirstScored), w.ToString());
            next = w.End;
        }
        Assert.Equal(count, next);
    }

    [Fact]
    public void TheDefaultModelsHeldOutSplitIsFullWindowsHalfOverlapping()
    {
        IReadOnlyList<PerplexityWindow> windows = PerplexityWindows.Plan(21048, 256, 128);
        Assert.Equal(new PerplexityWindow(0, 1, 256), windows[0]);
        Assert.Equal(new PerplexityWindow(128, 256, 384), windows[1]);
        Assert.All(windows, w => Assert.Equal(256, w.Length));
    }

    [Fact]
    public void ResolveDefaultsAndChecks()
    {
        Assert.Equal((64, 32), PerplexityWindows.Resolve(64, 100, null, null));
        Assert.Equal((64, 10), PerplexityWindows.Resolve(64, 100, 10, 500));
        Assert.Throws<ArgumentException>(() => PerplexityWindows.Resolve(64, 1, null, null));
        Assert.Throws<ArgumentException>(() => PerplexityWindows.Resolve(64, 100, 65, null));
        Assert.Throws<ArgumentException>(() => PerplexityWindows.Resolve(64, 100, null, 1));
    }
}
