using System.Diagnostics;
using System.Globalization;
using Myna.Tensors;
using TensorGemm = Myna.Tensors.Gemm;

namespace Myna.Bench.Gemm;

/// <summary>
/// Measures <see cref="TensorGemm.Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, GemmLayout, bool, ReadOnlySpan{float}, ComputePool)"/>
/// in GFLOP/s (2·M·N·K / seconds) against OpenBLAS <c>cblas_sgemm</c> in the same run: per case, the two are timed
/// alternately (order swapped every repetition) so machine noise hits both alike, and the best and median are kept.
/// </summary>
public sealed class GemmBenchmark(GemmBenchOptions options)
{
    /// <summary>
    /// Whether <c>--isa <paramref name="tier"/></c> needs this benchmark rerun in a child process, and with what extra
    /// environment: Myna must run at that tier (see <see cref="IsaRelaunch"/>), and OpenBLAS, when measured, must run
    /// its kernels for the same instructions, which <c>OPENBLAS_CORETYPE</c> selects only before the library loads.
    /// Null when this process can measure as it is (it already runs so, or it is the child).
    /// </summary>
    /// <exception cref="ArgumentException">This CPU cannot run <paramref name="tier"/>.</exception>
    public static IReadOnlyDictionary<string, string?>? RelaunchEnvironment(SimdTier tier, bool withOpenBlas)
    {
        bool mynaNeedsIt = IsaRelaunch.IsNeeded(tier);
        bool isChild = Environment.GetEnvironmentVariable(IsaRelaunch.MarkerVariable) is not null;
        bool peerNeedsIt = withOpenBlas && !isChild && !OpenBlasPeer.IsPinnedTo(tier);
        if (!mynaNeedsIt && !peerNeedsIt) return null;
        return withOpenBlas ? OpenBlasPeer.EnvironmentFor(tier) : new Dictionary<string, string?>();
    }

    /// <summary>Runs every case. Progress lines go to <paramref name="progress"/> when given.</summary>
    public unsafe GemmBenchReport Run(TextWriter? progress = null)
    {
        OpenBlasPeer? peer = options.IncludeOpenBlas ? OpenBlasPeer.TryLoad() : null;
        progress?.WriteLine(peer is null
            ? "OpenBLAS: not found (peer columns will be empty)"
            : $"OpenBLAS: {peer.Library}, {peer.CoreName ?? "unknown"} kernels; Myna: {SimdTiers.Name(SimdTiers.Current)} tier, {TensorGemm.KernelDescription}");
        var results = new List<GemmBenchResult>();
        var pools = options.ThreadCounts.Distinct().ToDictionary(t => t, t => new ComputePool(t));
        try
        {
            foreach (GemmShape shape in options.Shapes)
            {
                float[] a = Operand((long)shape.M * shape.K, options.Seed);
                float[] b = Operand((long)shape.K * shape.N, options.Seed + 1);
                float[] c = GC.AllocateUninitializedArray<float>(checked(shape.M * shape.N), pinned: true);
                fixed (float* pa = a, pb = b, pc = c)
                {
                    foreach (int threads in options.ThreadCounts)
                    {
                        foreach (GemmLayout layout in options.Layouts)
                        {
                            GemmBenchResult result = Measure(shape, layout, threads, pools[threads], peer, pa, pb, pc, a, b, c);
                            results.Add(result);
                            progress?.WriteLine(Describe(result));
                        }
                    }
                }
            }
        }
        finally
        {
            foreach (ComputePool pool in pools.Values) pool.Dispose();
        }
        return new GemmBenchReport(
            results, CpuPeak.Detect(), TensorGemm.KernelDescription, peer?.Library, SimdTiers.Name(SimdTiers.Current), peer?.CoreName);
    }

    private unsafe GemmBenchResult Measure(
        GemmShape s, GemmLayout layout, int threads, ComputePool pool, OpenBlasPeer? peer,
        float* pa, float* pb, float* pc, float[] a, float[] b, float[] c)
    {
        peer?.SetThreads(threads);
        void Ours() => TensorGemm.Multiply(a, b, c, s.M, s.N, s.K, layout, false, default, pool);
        void Peer() => peer!.Multiply(pa, pb, pc, s.M, s.N, s.K, layout);

        for (int w = 0; w < options.Warmup; w++)
        {
            Ours();
            if (peer is not null) Peer();
        }
        // Short products are timed in batches so that one sample lasts at least MinSampleSeconds.
        int ourBatch = BatchSize(Ours);
        int peerBatch = peer is null ? 0 : BatchSize(Peer);
        if (peer is not null) LetPeerThreadsSleep(threads);
        var ours = new List<double>();
        var theirs = new List<double>();
        for (int r = 0; r < options.Repeat; r++)
        {
            // Swap the order every repetition: neither side always runs right after the other.
            if (r % 2 == 0 || peer is null)
            {
                ours.Add(Gflops(s, Ours, ourBatch));
                if (peer is not null)
                {
                    theirs.Add(Gflops(s, Peer, peerBatch));
                    LetPeerThreadsSleep(threads);
                }
            }
            else
            {
                theirs.Add(Gflops(s, Peer, peerBatch));
                LetPeerThreadsSleep(threads);
                ours.Add(Gflops(s, Ours, ourBatch));
            }
        }
        return new GemmBenchResult(
            s.M, s.N, s.K, layout, threads, ours.Max(), Median(ours),
            peer is null ? null : theirs.Max(), peer is null ? null : Median(theirs));
    }

    /// <summary>
    /// How long OpenBLAS's idle worker threads keep spinning after a call before they sleep: 2^28 cycles by default
    /// (its GOTO_THREAD_TIMEOUT), 73 ms at 3.7 GHz, 128 ms at a 2.1 GHz base clock. Measured on a 2-core Zen 5 without
    /// this wait: Myna's 2-thread NT and TN products at 256×3072×768 ran at 94-100 GFLOP/s beside OpenBLAS, 186 alone
    /// (0.52× instead of 0.97×), because a spinning OpenBLAS worker held one of the two cores.
    /// </summary>
    private static readonly TimeSpan PeerSpinTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>Waits out <see cref="PeerSpinTimeout"/> after a multi-threaded OpenBLAS sample, before anything else is timed.</summary>
    private static void LetPeerThreadsSleep(int threads)
    {
        if (threads > 1) Thread.Sleep(PeerSpinTimeout);
    }

    /// <summary>Shortest timed sample: long enough that timer resolution and one-off interruptions stay small.</summary>
    private const double MinSampleSeconds = 0.02;

    private static int BatchSize(Action run)
    {
        long start = Stopwatch.GetTimestamp();
        run();
        double seconds = Math.Max(Stopwatch.GetElapsedTime(start).TotalSeconds, 1e-7);
        return (int)Math.Clamp(Math.Ceiling(MinSampleSeconds / seconds), 1, 100_000);
    }

    private static double Gflops(GemmShape shape, Action run, int batch)
    {
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < batch; i++) run();
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return shape.Flops * batch / seconds / 1e9;
    }

    private static double Median(List<double> values)
    {
        double[] sorted = [.. values.Order()];
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static float[] Operand(long length, int seed)
    {
        var random = new Random(seed);
        float[] values = GC.AllocateUninitializedArray<float>(checked((int)length), pinned: true);
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }

    private static string Describe(GemmBenchResult r)
    {
        string ours = string.Create(CultureInfo.InvariantCulture,
            $"{r.M}x{r.N}x{r.K} {r.Layout} t={r.Threads}: {r.GflopsBest:F1} GFLOP/s best, {r.GflopsMedian:F1} median");
        return r.OpenBlasGflopsBest is { } peer
            ? ours + string.Create(CultureInfo.InvariantCulture, $"; OpenBLAS {peer:F1} best -> {r.RatioVsOpenBlas:F3}x")
            : ours;
    }
}
