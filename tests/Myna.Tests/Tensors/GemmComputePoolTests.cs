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
    public void SharesAreStaticContiguousBlocks()
    {
        // Share 0 is the caller's; share 1 is the worker's unless the caller finished first and took it over.
        using var pool = new ComputePool(2);
        var thread = new int[10];
        pool.For(10, i => thread[i] = Environment.CurrentManagedThreadId);
        Assert.Equal(Environment.CurrentManagedThreadId, thread[0]);
        Assert.All(thread[..5], t => Assert.Equal(thread[0], t));
        Assert.All(thread[5..], t => Assert.Equal(thread[5], t));
    }

    [Fact]
    public void WorkerRunsItsShareWhenTheCallerIsBusy()
    {
        using var pool = new ComputePool(2);
        using var workerStarted = new ManualResetEventSlim();
        var thread = new int[2];
        pool.For(2, i =>
        {
            thread[i] = Environment.CurrentManagedThreadId;
            // The caller stays busy with share 0 until share 1 has started (generous limit for a loaded machine).
            if (i == 0) workerStarted.Wait(TimeSpan.FromSeconds(20));
            else workerStarted.Set();
        });
        Assert.NotEqual(thread[0], thread[1]);
    }

    [Fact]
    public void ManyShortJobsInARowAllComplete()
    {
        using var pool = new ComputePool(3);
        long total = 0;
        for (int job = 0; job < 2000; job++) pool.For(3, i => Interlocked.Add(ref total, i + 1));
        Assert.Equal(2000 * 6, total);
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
