namespace Myna.Tensors;

/// <summary>
/// The threads kernels run on. The count comes from <c>MYNA_THREADS</c> when set, else all cores.
/// </summary>
public sealed class ComputePool
{
    /// <summary>The pool every kernel uses unless told otherwise.</summary>
    public static ComputePool Shared { get; } = new(ThreadCountFromEnvironment());

    /// <summary>Number of threads work is split over.</summary>
    public int ThreadCount { get; }

    public ComputePool(int threadCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        ThreadCount = threadCount;
    }

    /// <summary>Runs <paramref name="body"/> for every index in [0, count), spread over the pool's threads.</summary>
    public void For(int count, Action<int> body)
    {
        if (ThreadCount == 1 || count <= 1)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = ThreadCount }, body);
    }

    private static int ThreadCountFromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable("MYNA_THREADS");
        if (string.IsNullOrWhiteSpace(value)) return Environment.ProcessorCount;
        if (!int.TryParse(value, out int threads) || threads < 1)
            throw new InvalidOperationException($"MYNA_THREADS must be a positive whole number; it is '{value}'.");
        return threads;
    }
}
