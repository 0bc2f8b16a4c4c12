using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Myna.Tensors.Quantized;

/// <summary>
/// <c>Y (M, N) = X (M, K) · Wᵀ [+ bias] [+ Y]</c> for a <see cref="QuantizedMatrix"/> W (N, K): the linear layers of
/// inference, where W is read from memory once per call and every block of it serves all M rows of X.
/// M rows, N outputs, K inputs.
/// </summary>
/// <remarks>
/// Every kernel exists once per <see cref="SimdTier"/> (written over <see cref="IFloatLanes{TVec}"/>: Vector512,
/// Vector256 + FMA, or portable Vector128), chosen once per process (<see cref="Tier"/>).
/// <para>
/// Three paths, by the number of rows of X. Decoding one to three sequences (M &lt; <see cref="FusedRowLimit"/>): W
/// streams past four rows at a time, converted in registers, each row's memory asked for a few KiB ahead of the read
/// so memory stays busy through the arithmetic. Batched decoding (up to <see cref="BatchedRowLimit"/> rows): a
/// register-blocked kernel (8×3 with AVX-512, 4×3 with AVX2 or Vector128, 3×3 or 4×2 on x64 without FMA;
/// QuantizedMatMul.Batched.cs) converts W in registers. Prefill: W is
/// walked in tiles expanded to f32 in a per-thread buffer that stays in cache (f32 tiles are used in place) and the same
/// register-blocked kernel multiplies them with all rows of X. Each of these computes every output as the same
/// single-accumulator dot product (Count-lane steps, the tier's reduction tree, then a scalar tail), so within a tier a
/// row's result does not depend on the path, M, the tile or the thread count, and incremental decoding is
/// bit-identical to recomputation. Across tiers the lane count differs, so results differ in rounding.
/// </para>
/// <para>
/// The exception is q8 with whole 32-value blocks, as llama.cpp does it: each row of X is itself quantised to q8
/// blocks, each block's product is an exact int32 byte dot product, and the output is Σ over blocks, in order, of that
/// sum times (dw·dx), accumulated with one fused multiply-add per block (QuantizedMatMul.Integer.cs). One to three rows
/// take it in every tier; four or more (batched decoding and prefill) where an integer kernel is the faster one
/// (<see cref="QuantizesActivations"/>). Every integer kernel, in every x86 tier, follows exactly this rule, so its
/// outputs do not depend on M, the kernel or the tier (the portable tier rounds the multiply-add separately where the
/// CPU has no FMA). They carry X's rounding to 8 bits (relative error about 1/254 of each block's largest |x|), so they
/// are close to, not bit-identical with, the f32-activation paths: on the AVX-512 tier without AVX-VNNI, and the
/// portable tier without 128-bit byte products, a q8 row decoded alone and the same row among four or more, or in a
/// prefill, differ by that rounding; elsewhere every row count gives the same bits.
/// </para>
/// </remarks>
public static unsafe partial class QuantizedMatMul
{
    /// <summary>The tier every product of this process runs at, decided once (a static readonly, so the JIT folds the dispatch).</summary>
    internal static readonly SimdTier Tier = SimdTiers.Current;

    /// <summary>Below this many rows of X the fused f16/q8 kernels run; from it on, the register-blocked kernel shares each conversion of W.</summary>
    internal const int FusedRowLimit = 4;

    // How far ahead of each W row being read the one-to-three-row kernel asks for memory. The kernel reads four rows at
    // once (four accumulator chains: one alone is latency-bound, 16 bytes of f16 per FMA at AVX2), and each row's own
    // stream is fetched this far ahead. Measured on a Zen 5 (2 threads, GPT-2 124M's 49 matrices at M = 1, variants
    // alternating in one process; this VM's bandwidth varies run to run by ±15%): f16 at AVX2, 8 KiB ahead 47-58 GB/s
    // against 31-40 at 4 KiB and 28 for one row with one chain; at AVX-512, 44-53 against 42-44 when the next four
    // rows were fetched as a group (the kernel before) and 20 with no prefetch at all.
    private const int FusedPrefetchBytes = 8192;
    private const int CacheLineBytes = 64;

    // A prefill tile of W holds about this many f32 values (32 KiB), at least 12 rows: whole groups of the kernels' 3
    // and 4 rows (measured: 3-row tiles for K = 3072, which fit L1, were 3-5% slower than 12-row ones, which fit L2).
    private const int TileFloats = 8192;

    [ThreadStatic] private static float[]? t_tile;
    [ThreadStatic] private static float[]? t_rebiased;
    [ThreadStatic] private static sbyte[]? t_quantized;
    [ThreadStatic] private static float[]? t_quantizedScales;

    /// <summary>
    /// Whether Y = X·Wᵀ with <paramref name="m"/> rows takes the integer path (X quantised to q8 blocks) at
    /// <paramref name="tier"/>: q8 weights with whole blocks, one to three rows in every tier, and any number of rows
    /// where an integer kernel beats the f32 register-blocked one (AVX2, any x86 tier with AVX-VNNI, and the portable
    /// tier where the CPU has 128-bit byte products; with AVX-512 alone the 8×3 f32 kernel does more per instruction
    /// than byte products that must be reduced block by block).
    /// </summary>
    internal static bool QuantizesActivations(QuantizedMatrix w, int m, SimdTier tier) =>
        w.Format == WeightFormat.Q8 && w.Columns % QuantizedMatrix.BlockSize == 0
        && (m < FusedRowLimit || UsesIntegerBlocks(tier));

    /// <summary>Computes <c>Y = X · Wᵀ</c>, plus <paramref name="bias"/> (length N) when given, plus the old Y when <paramref name="accumulate"/> is set.</summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires, or M is negative.</exception>
    public static void Multiply(ReadOnlySpan<float> x, QuantizedMatrix w, Span<float> y, int m, ReadOnlySpan<float> bias = default, bool accumulate = false) =>
        Multiply(x, w, y, m, Tier, bias, accumulate);

    /// <summary><see cref="Multiply(ReadOnlySpan{float}, QuantizedMatrix, Span{float}, int, ReadOnlySpan{float}, bool)"/> at an explicit tier, so tests run every supported tier in one process.</summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires, M is negative, or this CPU cannot run <paramref name="tier"/>.</exception>
    internal static void Multiply(ReadOnlySpan<float> x, QuantizedMatrix w, Span<float> y, int m, SimdTier tier, ReadOnlySpan<float> bias = default, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        if (!SimdTiers.IsSupported(tier)) throw new ArgumentException($"this CPU cannot run the {SimdTiers.Name(tier)} tier.", nameof(tier));
        int n = w.Rows, k = w.Columns;
        if (x.Length < (long)m * k) throw new ArgumentException($"X holds {x.Length} values; ({m}, {k}) needs {(long)m * k}.", nameof(x));
        if (y.Length < (long)m * n) throw new ArgumentException($"Y holds {y.Length} values; ({m}, {n}) needs {(long)m * n}.", nameof(y));
        if (!bias.IsEmpty && bias.Length < n) throw new ArgumentException($"bias holds {bias.Length} values; N is {n}.", nameof(bias));
        if (m == 0) return;

        int tileRows = Math.Clamp(TileFloats / k / 12 * 12, 12, 60); // whole groups of the kernels' 3 and 4 W rows
        int tiles = (n + tileRows - 1) / tileRows;
        int parts = Math.Min(tiles, ComputePool.Shared.ThreadCount);
        sbyte[]? qx = null;
        float[]? dx = null;
        if (QuantizesActivations(w, m, tier))
        {
            int blocks = k / QuantizedMatrix.BlockSize;
            qx = t_quantized is { } q && q.Length >= m * k ? q : t_quantized = new sbyte[m * k];
            dx = t_quantizedScales is { } d && d.Length >= m * blocks ? d : t_quantizedScales = new float[m * blocks];
            QuantizeActivations(x[..(m * k)], qx, dx);
        }
        uint[]? packedQuantized = null;
        if (qx is not null && PacksQuantizedRows(tier, m))
        {
            fixed (sbyte* pq = qx) packedQuantized = AvxVnni.IsSupported ? PackQuantizedRows<VnniQuads>(pq, m, k) : PackQuantizedRows<SignedQuads>(pq, m, k);
        }
        float[]? rebiased = null;
        // (Not for plain halves where subnormal operands are slow: the rebiased kernel multiplies by the in-place halves.)
        if (m <= BatchedRowLimit && w.Format == WeightFormat.F16 && (w.HalvesPrescaled || !HalfLanes.AvoidSubnormals))
        {
            rebiased = t_rebiased is { } r && r.Length >= m * k ? r : t_rebiased = new float[m * k];
            bool fits = w.HalvesPrescaled ? TryRebias<PrescaledHalves>(x[..(m * k)], rebiased) : TryRebias<PlainHalves>(x[..(m * k)], rebiased);
            if (!fits) rebiased = null;
        }
        fixed (float* px = x, py = y, pb = bias, pdx = dx, prx = rebiased)
        fixed (sbyte* pqx = qx)
        fixed (uint* ppx = packedQuantized)
        {
            float* xp = px, yp = py, bp = bias.IsEmpty ? null : pb;
            var job = new Job(xp, w, yp, bp, m, tileRows, tiles, parts, accumulate, pqx, pdx, prx, ppx, tier);
            if (parts == 1) job.Run(0);
            else ComputePool.Shared.For(parts, job.Run);
        }
        GC.KeepAlive(w); // its weights are native memory, read through pointers until every part is done
    }

    // f16 decoding with X pre-multiplied by the in-place factor F (2^112, or 2^102 for prescaled halves): the half's
    // bits shifted into place are then w/F exactly, and (x·F)·(w/F) is the same real product, so the fused kernel skips
    // a multiply and still rounds identically. Only while x·F stays finite, i.e. |x| < 2^128/F; half that, to be safe.

    /// <summary>destination = x·F, or false when some |x| ≥ 2^127/F (or is not finite), where that could overflow.</summary>
    private static bool TryRebias<TStorage>(ReadOnlySpan<float> x, Span<float> destination)
        where TStorage : struct, IHalfStorage
    {
        float factor = TStorage.InPlaceFactor, limit = MathF.ScaleB(1f, 127) / factor;
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            if (!(MathF.Abs(v) < limit)) return false;
            destination[i] = v * factor;
        }
        return true;
    }

    private sealed class Job(float* x, QuantizedMatrix w, float* y, float* bias, int m, int tileRows, int tiles, int parts, bool accumulate, sbyte* qx, float* dx, float* rebiasedX, uint* packedQuantizedX, SimdTier tier)
    {
        public void Run(int part)
        {
            switch (tier)
            {
                case SimdTier.Avx512: Run<FloatLanes512, Vector512<float>>(part); break;
                case SimdTier.Avx2: Run<FloatLanes256, Vector256<float>>(part); break;
                default: Run<FloatLanes128, Vector128<float>>(part); break;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
        private void Run<TLanes, TVec>(int part)
            where TLanes : struct, IFloatLanes<TVec>
            where TVec : struct
        {
            int n = w.Rows;
            int first = (int)((long)tiles * part / parts), last = (int)((long)tiles * (part + 1) / parts);
            int start = first * tileRows, end = Math.Min(last * tileRows, n);
            if (packedQuantizedX != null)
            {
                if (AvxVnni.IsSupported) RunBatchedInteger<VnniQuads>(w, packedQuantizedX, dx, y, bias, m, start, end, accumulate);
                else RunBatchedInteger<SignedQuads>(w, packedQuantizedX, dx, y, bias, m, start, end, accumulate);
            }
            else if (qx != null) RunInteger(tier, w, qx, dx, y, bias, m, start, end, accumulate);
            else if (m < FusedRowLimit) RunFused<TLanes, TVec>(start, end);
            else if (m <= BatchedRowLimit) RunBatched<TLanes, TVec>(w, x, rebiasedX, y, bias, m, start, end, accumulate);
            else RunTiles<TLanes, TVec>(w, x, y, bias, m, tileRows, first, last, accumulate);
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
        private void RunFused<TLanes, TVec>(int start, int end)
            where TLanes : struct, IFloatLanes<TVec>
            where TVec : struct
        {
            int n = w.Rows, k = w.Columns, blocks = w.BlocksPerRow;
            float* result = stackalloc float[4];
            fixed (float* f32 = w.Format == WeightFormat.F32 ? w.F32Values : default)
            fixed (ushort* f16 = w.Format == WeightFormat.F16 ? w.F16Values : default)
            fixed (sbyte* q8 = w.Format == WeightFormat.Q8 ? w.Q8Values : default)
            fixed (float* scales = w.Format == WeightFormat.Q8 ? w.Q8Scales : default)
            {
                for (int j = start; j < end; j += 4)
                {
                    int wr = Math.Min(4, end - j);
                    for (int a = 0; a < m; a++)
                    {
                        float* xa = x + (long)a * k;
                        // Only the first row of X asks for memory ahead; the others find these rows in L1 or L2.
                        int ahead = a == 0 ? FusedPrefetchBytes : 0;
                        if (f32 != null) DotRows<F32Row, TLanes, TVec>(xa, xa, (byte*)(f32 + (long)j * k), null, wr, k, blocks, result, ahead);
                        else if (f16 != null)
                        {
                            byte* row = (byte*)(f16 + (long)j * k);
                            float* rx = rebiasedX == null ? null : rebiasedX + (long)a * k;
                            if (w.HalvesPrescaled) DotHalfRows<PrescaledHalves, TLanes, TVec>(rx, xa, row, wr, k, result, ahead);
                            else DotHalfRows<PlainHalves, TLanes, TVec>(rx, xa, row, wr, k, result, ahead);
                        }
                        else DotRows<Q8Row, TLanes, TVec>(xa, xa, (byte*)(q8 + (long)j * k), scales + (long)j * blocks, wr, k, blocks, result, ahead);
                        float* y0 = y + (long)a * n + j;
                        for (int b = 0; b < wr; b++)
                        {
                            float r = result[b];
                            if (bias != null) r += bias[j + b];
                            y0[b] = accumulate ? y0[b] + r : r;
                        }
                    }
                }
            }
        }
    }

    /// <summary>f16 rows of W: against X pre-multiplied by the in-place factor (<paramref name="rebiasedX"/>) where it was, else X as given.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotHalfRows<TStorage, TLanes, TVec>(float* rebiasedX, float* x, byte* row, int rows, int k, float* result, int ahead)
        where TStorage : struct, IHalfStorage
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        if (rebiasedX != null) DotRows<RebiasedF16Row<TStorage>, TLanes, TVec>(rebiasedX, x, row, null, rows, k, 0, result, ahead);
        else DotRows<F16Row<TStorage>, TLanes, TVec>(x, x, row, null, rows, k, 0, result, ahead);
    }

    /// <summary>
    /// Asks for the cache lines of [<paramref name="offset"/>, + <paramref name="bytes"/>) after <paramref name="ahead"/>
    /// (nothing when null): the streaming kernels walk a few rows of W and, as they go, fetch the next rows at the same
    /// pace, so memory is kept busy through the arithmetic instead of only when a load misses.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchSpan<TLanes, TVec>(byte* ahead, long offset, int bytes)
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        if (!TLanes.Prefetches || ahead == null) return; // (the JIT drops the whole loop where the tier has no prefetch)
        for (int at = 0; at < bytes; at += CacheLineBytes) TLanes.Prefetch(ahead + offset + at);
    }

    // The fused kernels compute exactly what the tile path does: the same f32 weight values (f16 → f32 is exact, q8 is
    // (float)q · d), one accumulator per output over Count-lane steps, the same reduction and the same scalar tail.

    /// <summary>
    /// result[b] = x · W row b for <paramref name="rows"/> ≤ 4 rows of W (K long, contiguous, in any
    /// <see cref="IRowFormat"/>), four at once (f16, q8) or one after another (f32, except at Arm64's portable tier);
    /// <paramref name="plainX"/> is X as given, for the scalar tail, when <paramref name="x"/> is a rescaled copy.
    /// Unless <paramref name="ahead"/> is 0, the four-row loop asks for the memory that many bytes past each cache line
    /// of each row as it reads it. (Prefetching past the end of W is harmless: x64 never faults on a prefetch, and
    /// Arm64 has none here.)
    /// </summary>
    /// <remarks>
    /// Why f32 rows go one at a time, with no prefetch: a row's single accumulator chain (one FMA, or one add, per
    /// vector) still consumes 5-16 bytes a cycle, more than a core's share of the memory's bandwidth, so nothing is gained by
    /// interleaving rows, and one sequential stream per core is what the hardware prefetcher follows best. Measured on
    /// the Zen 5 (GPT-2 124M's 49 products at M = 1, 2 threads, in one process, alternating): one row at a time against
    /// the four-row loop with rows fetched 8 KiB ahead into L2, median, at AVX2 52.2-52.7 against 45.7-47.1 GB/s, with
    /// SSE only 46.2 against 33.4, and at AVX-512 equal to the four-row loop without prefetch (50.5-52.6 both), which
    /// itself beat the prefetching one (9.0-9.6 against 10.3-10.9 ms). f16 and q8 rows convert as they go and need the
    /// four chains (one f16 row at a time: 27 against 36 GB/s at AVX2). On Arm64 the portable tier keeps the four-row
    /// loop for f32 too: one 16-byte FMA chain gives about 4 bytes a cycle, which a core's share of an Arm server's
    /// memory can exceed, and that was not measured. The L2 prefetch this replaced had been chosen on a Zen 4 against
    /// an L1 prefetch, not against none; the Zen 4 and Zen 3 are unmeasured with this loop.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void DotRows<TRow, TLanes, TVec>(float* x, float* plainX, byte* w, float* scales, int rows, int k, int blocks, float* result, int ahead)
        where TRow : struct, IRowFormat
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        long rowBytes = (long)k * TRow.ElementBytes;
        if (rows < 4 || (TRow.ElementBytes == sizeof(float) && (TLanes.Count >= 8 || X86Base.IsSupported)))
        {
            for (int b = 0; b < rows; b++) result[b] = DotRow<TRow, TLanes, TVec>(x, plainX, w + b * rowBytes, scales == null ? null : scales + (long)b * blocks, k);
            return;
        }
        byte* w1 = w + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
        float* s1 = scales == null ? null : scales + blocks, s2 = scales == null ? null : s1 + blocks, s3 = scales == null ? null : s2 + blocks;
        TVec c0 = TLanes.Zero, c1 = TLanes.Zero, c2 = TLanes.Zero, c3 = TLanes.Zero;
        int valuesPerLine = Math.Max(TLanes.Count, CacheLineBytes / TRow.ElementBytes); // a constant per instantiation
        int i = 0;
        for (; i <= k - TLanes.Count; i += TLanes.Count)
        {
            if (TLanes.Prefetches && ahead != 0 && i % valuesPerLine == 0)
            {
                long at = (long)i * TRow.ElementBytes + ahead;
                TLanes.Prefetch(w + at);
                TLanes.Prefetch(w1 + at);
                TLanes.Prefetch(w2 + at);
                TLanes.Prefetch(w3 + at);
            }
            TVec xv = TLanes.Load(x + i);
            c0 = TLanes.MultiplyAdd(xv, TRow.Load<TLanes, TVec>(w, scales, i), c0);
            c1 = TLanes.MultiplyAdd(xv, TRow.Load<TLanes, TVec>(w1, s1, i), c1);
            c2 = TLanes.MultiplyAdd(xv, TRow.Load<TLanes, TVec>(w2, s2, i), c2);
            c3 = TLanes.MultiplyAdd(xv, TRow.Load<TLanes, TVec>(w3, s3, i), c3);
        }
        TLanes.Sums4(c0, c1, c2, c3, result);
        for (; i < k; i++)
        {
            float xi = plainX[i];
            result[0] += xi * TRow.Load1(w, scales, i);
            result[1] += xi * TRow.Load1(w1, s1, i);
            result[2] += xi * TRow.Load1(w2, s2, i);
            result[3] += xi * TRow.Load1(w3, s3, i);
        }
    }

    /// <summary>x · one W row: the single-row form of <see cref="DotRows{TRow, TLanes, TVec}"/>, with the same steps, reduction and tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static float DotRow<TRow, TLanes, TVec>(float* x, float* plainX, byte* w, float* scales, int k)
        where TRow : struct, IRowFormat
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        TVec acc = TLanes.Zero;
        int i = 0;
        for (; i <= k - TLanes.Count; i += TLanes.Count) acc = TLanes.MultiplyAdd(TLanes.Load(x + i), TRow.Load<TLanes, TVec>(w, scales, i), acc);
        float s = TLanes.Sum(acc);
        for (; i < k; i++) s += plainX[i] * TRow.Load1(w, scales, i);
        return s;
    }
}
