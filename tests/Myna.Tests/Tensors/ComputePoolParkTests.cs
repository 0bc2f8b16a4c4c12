using Myna.Tensors;

namespace Myna.Tests.Tensors;

/// <summary><c>ComputePool.Park</c>: workers stop polling so another engine can be timed on the same cores.</summary>
public class ComputePoolParkTests
{
    [Fact]
    public void AfterWorkTheWorkersParkAndTheNextJobStillRunsOnEveryThread()
    {
        using var pool = new ComputePool(3);
        int[] seen = new int[300];
        pool.For(seen.Length, i => seen[i]++);

        Assert.True(pool.Park(TimeSpan.FromSeconds(5)));

        var threads = new System.Collections.Concurrent.ConcurrentDictionary<int, bool>();
        pool.For(seen.Length, i =>
        {
            seen[i]++;
            threads[Environment.CurrentManagedThreadId] = true;
            Thread.SpinWait(20_000); // long enough that every share starts before the caller could take it over
        });
        Assert.All(seen, count => Assert.Equal(2, count));
        Assert.True(threads.Count >= 2, $"the job ran on {threads.Count} thread(s) after parking");
        Assert.True(pool.Park(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void ASingleThreadPoolHasNothingToPark()
    {
        using var pool = new ComputePool(1);
        Assert.True(pool.Park(TimeSpan.Zero));
    }
}
