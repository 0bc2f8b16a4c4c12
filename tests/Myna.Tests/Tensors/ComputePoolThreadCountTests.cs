using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class ComputePoolThreadCountTests
{
    [Fact]
    public void ThreadCountsFromOneToTheMachinesBoundAreAcceptedAndNoOthers()
    {
        Assert.Equal(Math.Max(16, 4 * Environment.ProcessorCount), ComputePool.MaxThreads);
        Assert.Null(ComputePool.ThreadCountRefusal(1));
        Assert.Null(ComputePool.ThreadCountRefusal(ComputePool.MaxThreads));
        Assert.Contains("at least 1", ComputePool.ThreadCountRefusal(0));
        Assert.Contains($"at most {ComputePool.MaxThreads}", ComputePool.ThreadCountRefusal(ComputePool.MaxThreads + 1));
    }

    [Fact]
    public void APoolBeyondTheBoundIsRefusedBeforeAnyThreadStarts()
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => new ComputePool(100_000));
        Assert.Contains("more than this machine can use", refused.Message);
        using var largest = new ComputePool(ComputePool.MaxThreads);
        int[] seen = new int[64];
        largest.For(seen.Length, i => seen[i] = i + 1);
        Assert.Equal(Enumerable.Range(1, 64), seen);
    }
}
