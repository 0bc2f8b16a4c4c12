using Myna.Tensors;

namespace Myna.Tests.Tensors;

/// <summary>The pool the GEMM runs on.</summary>
public class GemmComputePoolTests
{
    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 1)]
    [InlineData(2, 7)]
    [InlineData(3, 100)]
    public void ForRunsEveryIndexExactlyOnce(int threads, int count)
    {
        using var pool = new ComputePool(threads);
        var hits = new int[count];
        for (int round = 0; round < 50; round++) pool.For(count, i => Interlocked.Increment(ref hits[i]));
        Assert.All(hits, h => Assert.Equal(50, h));
    }

    [Fact]
    public void PartitionIsStaticAndContiguous()
    {
        using var pool = new ComputePool(2);
        var thread = new int[10];
        pool.For(10, i => thread[i] = Environment.CurrentManagedThreadId);
        Assert.Equal(Environment.CurrentManagedThreadId, thread[0]);
        Assert.All(thread[..5], t => Assert.Equal(thread[0], t));
        Assert.All(thread[5..], t => Assert.Equal(thread[5], t));
        Assert.NotEqual(thread[0], thread[5]);
    }

    [Fact]
    public void ExceptionInABodyReachesTheCaller()
    {
        using var pool = new ComputePool(2);
        Assert.Throws<InvalidOperationException>(() => pool.For(4, i => { if (i == 3) throw new InvalidOperationException(); }));
        int sum = 0;
        pool.For(4, i => Interlocked.Add(ref sum, i));
        Assert.Equal(6, sum);
    }

    [Fact]
    public void NestedForRunsInline()
    {
        using var pool = new ComputePool(2);
        int total = 0;
        pool.For(2, _ => pool.For(3, _ => Interlocked.Increment(ref total)));
        Assert.Equal(6, total);
    }

    [Fact]
    public void ThreadCountBelowOneThrows() => Assert.Throws<ArgumentOutOfRangeException>(() => new ComputePool(0));
}
