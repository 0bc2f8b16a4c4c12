namespace Myna.Tensors;

/// <summary>
/// The threads kernels run on. The count comes from <c>MYNA_THREADS</c> when set, else all cores.
/// A pool of <c>ThreadCount - 1</c> dedicated workers plus the calling thread; work is partitioned statically, so a
/// kernel that gives each output to exactly one index is bit-deterministic for a given thread count.
/// </summary>
public sealed class ComputePool : IDisposable
{
    /// <summary>The pool every kernel uses unless told otherwise.</summary>
    public static ComputePool Shared { get; } = new(ThreadCountFromEnvironment());

    private readonly WorkerTeam? _team;

    /// <summary>Number of threads work is split over.</summary>
    public int ThreadCount { get; }

    /// <summary>
    /// The most threads a pool may have: four per logical processor (at least 16). More only queue for the same cores
    /// while each worker spins, and tens of thousands exhaust the process's thread stacks, which aborts it.
    /// </summary>
    public static int MaxThreads => Math.Max(16, 4 * Environment.ProcessorCount);

    /// <summary>Why <paramref name="threadCount"/> threads cannot be had, for a message after an option's name, or null.</summary>
    public static string? ThreadCountRefusal(long threadCount) =>
        threadCount < 1 ? $"must be at least 1; it is {threadCount}"
        : threadCount > MaxThreads ? $"is {threadCount:N0}, more than this machine can use: at most {MaxThreads} (4 per logical processor, {Environment.ProcessorCount} here)"
        : null;

    /// <summary>Creates a pool of <paramref name="threadCount"/> threads (the caller counts as one).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="threadCount"/> is less than 1 or above <see cref="MaxThreads"/>.</exception>
    public ComputePool(int threadCount)
    {
        if (ThreadCountRefusal(threadCount) is { } refusal) throw new ArgumentOutOfRangeException(nameof(threadCount), threadCount, $"the thread count {refusal}.");
        ThreadCount = threadCount;
        if (threadCount > 1) _team = new WorkerTeam(threadCount, "Myna compute");
    }

    /// <summary>
    /// Runs <paramref name="body"/> for every index in [0, count), spread over the pool's threads: thread t runs the
    /// contiguous block <c>[count·t/T, count·(t+1)/T)</c> in order. Returns when every index is done; the first
    /// exception thrown by a body is rethrown here. Calls from inside a body run inline on the calling thread.
    /// </summary>
    public void For(int count, Action<int> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (count <= 0) return;
        if (_team is null || count == 1 || WorkerTeam.OnWorkerThread)
        {
            for (int i = 0; i < count; i++) body(i);
            return;
        }
        _team.Run(new ActionTask(body), count);
    }

    /// <summary>Allocation-free form of <see cref="For(int, Action{int})"/> for kernels.</summary>
    internal void For(int count, IComputeTask task)
    {
        if (count <= 0) return;
        if (_team is null || count == 1 || WorkerTeam.OnWorkerThread)
        {
            for (int i = 0; i < count; i++) task.Run(i);
            return;
        }
        _team.Run(task, count);
    }

    /// <summary>
    /// Waits until the pool's workers have gone from polling to sleeping, so they use no core until the next
    /// <see cref="For(int, Action{int})"/>; returns false if they did not within <paramref name="timeout"/>. Call it
    /// before timing something else on the same cores (benchmarks park Myna's pool before llama.cpp's rounds).
    /// </summary>
    public bool Park(TimeSpan timeout) => _team?.Park(timeout) ?? true;

    /// <summary>Stops the worker threads. <see cref="Shared"/> lives as long as the process.</summary>
    public void Dispose()
    {
        if (ReferenceEquals(this, Shared)) return;
        _team?.Dispose();
    }

    /// <exception cref="ArgumentException">MYNA_THREADS is not a whole number from 1 to <see cref="MaxThreads"/> (a setting the user fixes).</exception>
    private static int ThreadCountFromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable("MYNA_THREADS");
        if (string.IsNullOrWhiteSpace(value)) return Environment.ProcessorCount;
        if (!int.TryParse(value, out int threads))
            throw new ArgumentException($"MYNA_THREADS must be a positive whole number; it is '{value}'.");
        if (ThreadCountRefusal(threads) is { } refusal) throw new ArgumentException($"MYNA_THREADS {refusal}.");
        return threads;
    }

    private sealed class ActionTask(Action<int> body) : IComputeTask
    {
        public void Run(int index) => body(index);
    }
}
