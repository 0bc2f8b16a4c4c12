using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Myna.Tensors;

/// <summary>
/// The threads behind a <see cref="ComputePool"/>: the calling thread plus <c>threadCount - 1</c> workers.
/// Workers spin briefly after finishing a job (jobs in a kernel sequence arrive microseconds apart), then block on a
/// monitor so an idle pool never burns a core.
/// <para>
/// Indices are split statically into T shares: share t is <c>[count·t/T, count·(t+1)/T)</c>, run in ascending order,
/// and belongs to thread t. One fallback: a share whose thread has not started it by the time the caller has finished
/// its own (a worker still waking up, or descheduled on a busy machine) is run by the caller instead. Shares are
/// claimed atomically, so each runs exactly once, and what a share computes never depends on which thread runs it.
/// </para>
/// </summary>
internal sealed class WorkerTeam : IDisposable
{
    /// <summary>How long an idle worker keeps polling before it blocks: long enough to bridge the gap between the
    /// phases of one kernel and between consecutive kernels, short enough not to steal a core from other processes.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 20_000; // 50 µs

    private readonly int _threadCount;
    private readonly Thread[] _workers;
    private readonly object _sleepGate = new();
    private readonly object _doneGate = new();
    private readonly object _callGate = new();

    private IComputeTask? _task;
    private int _count;
    private long _generation;
    private int _pending;
    private int _blocked; // workers asleep on _sleepGate, i.e. using no core

    // Share t of job G is claimed by moving _claimed[t] from G - 1 to G: exactly one thread wins, and a worker that
    // wakes for a job that is already over cannot claim a share of the next one.
    private readonly long[] _claimed;
    private bool _disposed;
    private Exception? _failure;

    [ThreadStatic] private static bool t_insideTeam;

    public WorkerTeam(int threadCount, string name)
    {
        _threadCount = threadCount;
        _claimed = new long[threadCount];
        _workers = new Thread[threadCount - 1];
        for (int w = 0; w < _workers.Length; w++)
        {
            int index = w + 1;
            _workers[w] = new Thread(() => WorkerLoop(index)) { IsBackground = true, Name = $"{name} worker {index}" };
            _workers[w].Start();
        }
    }

    /// <summary>Whether the current thread is running a job of some team (nested calls then run inline).</summary>
    public static bool OnWorkerThread => t_insideTeam;

    /// <summary>Runs <paramref name="task"/> for indices [0, count) across all threads and returns when all are done.</summary>
    public void Run(IComputeTask task, int count)
    {
        // Calls from unrelated threads take turns: the team runs one job at a time.
        lock (_callGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _task = task;
            _count = count;
            _failure = null;
            Volatile.Write(ref _pending, _threadCount - 1);
            long generation;
            lock (_sleepGate)
            {
                generation = ++_generation;
                Monitor.PulseAll(_sleepGate);
            }

            t_insideTeam = true;
            try
            {
                for (int share = 0; share < _threadCount; share++)
                {
                    if (!TryClaim(share, generation)) continue;
                    RunShareCatching(task, count, share);
                    if (share > 0) CompleteShare();
                }
            }
            finally
            {
                t_insideTeam = false;
            }

            WaitForShares();
            _task = null;
            if (_failure is { } failure) ExceptionDispatchInfo.Capture(failure).Throw();
        }
    }

    private bool TryClaim(int share, long generation) =>
        Interlocked.CompareExchange(ref _claimed[share], generation, generation - 1) == generation - 1;

    private void CompleteShare()
    {
        if (Interlocked.Decrement(ref _pending) != 0) return;
        lock (_doneGate) Monitor.PulseAll(_doneGate);
    }

    /// <summary>The caller's wait for the workers' shares: spin briefly (they usually finish within microseconds of
    /// the caller), then block. A plain monitor rather than an event: nothing is allocated on the first block.</summary>
    private void WaitForShares()
    {
        long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
        while (Volatile.Read(ref _pending) != 0)
        {
            if (Stopwatch.GetTimestamp() < spinUntil)
            {
                Thread.SpinWait(16);
                continue;
            }
            lock (_doneGate)
            {
                while (Volatile.Read(ref _pending) != 0) Monitor.Wait(_doneGate);
            }
        }
    }

    private void RunShareCatching(IComputeTask task, int count, int share)
    {
        try
        {
            int start = (int)((long)count * share / _threadCount);
            int end = (int)((long)count * (share + 1) / _threadCount);
            for (int i = start; i < end; i++) task.Run(i);
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref _failure, ex, null);
        }
    }

    private void WorkerLoop(int thread)
    {
        t_insideTeam = true;
        long seen = 0;
        while (true)
        {
            seen = WaitForJob(seen);
            if (seen < 0) return;
            // Claimed → job `seen` is still running (the caller waits for this share), so _task and _count are its.
            if (!TryClaim(thread, seen)) continue;
            RunShareCatching(_task!, _count, thread);
            CompleteShare();
        }
    }

    /// <summary>Waits for a generation newer than <paramref name="seen"/>; returns it, or -1 once disposed.</summary>
    private long WaitForJob(long seen)
    {
        long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
        while (Volatile.Read(ref _generation) == seen && !Volatile.Read(ref _disposed))
        {
            if (Stopwatch.GetTimestamp() < spinUntil)
            {
                Thread.SpinWait(32);
                continue;
            }
            lock (_sleepGate)
            {
                _blocked++;
                while (_generation == seen && !_disposed) Monitor.Wait(_sleepGate);
                _blocked--;
            }
        }
        return Volatile.Read(ref _disposed) ? -1 : Volatile.Read(ref _generation);
    }

    /// <summary>
    /// Waits until every worker has stopped spinning and blocked, so the team uses no core until its next job; false
    /// if that has not happened within <paramref name="timeout"/>. Used before another engine is timed on the same
    /// cores: on a 2-core machine a worker still polling would take one of its threads' cores.
    /// </summary>
    public bool Park(TimeSpan timeout)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            lock (_sleepGate)
            {
                if (_blocked == _workers.Length || _disposed) return true;
            }
            if (Stopwatch.GetTimestamp() > deadline) return false;
            Thread.Sleep(1);
        }
    }

    public void Dispose()
    {
        lock (_callGate)
        {
            if (_disposed) return;
            lock (_sleepGate)
            {
                _disposed = true;
                Monitor.PulseAll(_sleepGate);
            }
        }
        foreach (Thread worker in _workers) worker.Join();
    }
}
