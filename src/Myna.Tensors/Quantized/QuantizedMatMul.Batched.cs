using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Myna.Tensors.Quantized;

/// <summary>
/// The register-blocked paths of <see cref="QuantizedMatMul"/>. Batched decoding (a handful of rows of X, several
/// sequences decoding together): W streams from memory once, each three W rows converted to f32 in registers and
/// multiplied with <c>BlockRows</c> rows of X at once (8×3 = 24 accumulators in the 32 registers of AVX-512, 4×3 = 12
/// in the 16 of AVX2 and in NEON's 32, 4×2 = 8 in the 16 of SSE without FMA), so a conversion serves several products
/// and the FMA pipes, not loads or conversions, set the pace; the three rows stay in L1 while every group of X rows
/// passes, and the next rows are fetched meanwhile.
/// Prefill (many rows): W is expanded tile by tile to f32 (f32 is used in place) and the same kernel multiplies each
/// tile with all rows of X. Each output is the same single-accumulator dot product, reduction and scalar tail as the
/// one-row kernels, so a row's result does not depend on how many rows share the call.
/// </summary>
public static unsafe partial class QuantizedMatMul
{
    /// <summary>Row counts from <see cref="FusedRowLimit"/> up to this one take the batched path; more rows (prefill) share decoded tiles instead.</summary>
    internal const int BatchedRowLimit = 16;

    private const int PrefetchGroups = 2; // how many groups of 3 W rows ahead memory is asked for

    [ThreadStatic] private static float[]? t_batch; // all rows of X, interleaved in groups of BlockRows

    /// <summary>Rows [start, end) of Y for all M rows of X, BlockRows rows of X and 3 rows of W at a time, W converted in registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void RunBatched<TLanes, TVec>(QuantizedMatrix w, float* x, float* rebiasedX, float* y, float* bias, int m, int start, int end, bool accumulate)
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        switch (w.Format)
        {
            case WeightFormat.F32:
                fixed (float* values = w.F32Values) RunBatched<F32Row, TLanes, TVec>((byte*)values, null, 0, w, x, x, y, bias, m, start, end, accumulate);
                break;
            case WeightFormat.F16:
                fixed (ushort* values = w.F16Values)
                {
                    if (w.HalvesPrescaled) RunBatchedHalves<PrescaledHalves, TLanes, TVec>((byte*)values, w, x, rebiasedX, y, bias, m, start, end, accumulate);
                    else RunBatchedHalves<PlainHalves, TLanes, TVec>((byte*)values, w, x, rebiasedX, y, bias, m, start, end, accumulate);
                }
                break;
            default:
                fixed (sbyte* values = w.Q8Values)
                fixed (float* scales = w.Q8Scales) RunBatched<Q8Row, TLanes, TVec>((byte*)values, scales, w.BlocksPerRow, w, x, x, y, bias, m, start, end, accumulate);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RunBatchedHalves<TStorage, TLanes, TVec>(byte* values, QuantizedMatrix w, float* x, float* rebiasedX, float* y, float* bias, int m, int start, int end, bool accumulate)
        where TStorage : struct, IHalfStorage
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        if (rebiasedX != null) RunBatched<RebiasedF16Row<TStorage>, TLanes, TVec>(values, null, 0, w, rebiasedX, x, y, bias, m, start, end, accumulate);
        else RunBatched<F16Row<TStorage>, TLanes, TVec>(values, null, 0, w, x, x, y, bias, m, start, end, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void RunBatched<TRow, TLanes, TVec>(byte* values, float* scales, int blocks, QuantizedMatrix w, float* x, float* plainX, float* y, float* bias, int m, int start, int end, bool accumulate)
        where TRow : struct, IRowFormat
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        int n = w.Rows, k = w.Columns, vectorK = k / TLanes.Count * TLanes.Count, blockRows = TLanes.BlockRows(TRow.ElementBytes, m), wRows = TLanes.BlockWRows(blockRows);
        long rowBytes = (long)k * TRow.ElementBytes;
        float* result = stackalloc float[3 * 8];
        // Each thread packs its own copy of X: packing once on the calling thread measured 5-15% slower for f16
        // (the other core then reads all of X across cores on every product), for the same work on the critical path.
        fixed (float* pack = PackAllRows<TLanes, TVec>(x, plainX, m, k, blockRows))
        {
            for (int j = start; j < end; j += wRows)
            {
                int count = Math.Min(wRows, end - j);
                byte* w0 = values + j * rowBytes;
                byte* w1 = count > 1 ? w0 + rowBytes : w0, w2 = count > 2 ? w0 + 2 * rowBytes : w0;
                float* s0 = scales == null ? null : scales + (long)j * blocks;
                float* s1 = scales == null ? null : count > 1 ? s0 + blocks : s0, s2 = scales == null ? null : count > 2 ? s0 + 2 * blocks : s0;
                int next = j + wRows * PrefetchGroups;
                byte* ahead = next + wRows <= end ? values + next * rowBytes : null;
                for (int g = 0; g < m; g += blockRows)
                {
                    DotGroup<TRow, TLanes, TVec>(blockRows, m - g, pack + (long)g * k, vectorK, k, w0, w1, w2, s0, s1, s2, result, g == 0 ? ahead : null, wRows * TLanes.Count * TRow.ElementBytes);
                    StoreBlock(result, Math.Min(blockRows, m - g), count, y + (long)g * n + j, n, bias == null ? null : bias + j, accumulate);
                }
            }
        }
    }

    /// <summary>Rows [first·tileRows, last·tileRows) of Y for many rows of X: W decoded tile by tile, every group of X rows over each tile.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void RunTiles<TLanes, TVec>(QuantizedMatrix w, float* x, float* y, float* bias, int m, int tileRows, int first, int last, bool accumulate)
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        int n = w.Rows, k = w.Columns, vectorK = k / TLanes.Count * TLanes.Count, blockRows = TLanes.BlockRows(sizeof(float), m), wRows = TLanes.BlockWRows(blockRows);
        float[]? buffer = null;
        if (w.Format != WeightFormat.F32)
        {
            buffer = t_tile;
            if (buffer is null || buffer.Length < tileRows * k) t_tile = buffer = new float[tileRows * k];
        }
        float* result = stackalloc float[3 * 8];
        fixed (float* pack = PackAllRows<TLanes, TVec>(x, x, m, k, blockRows))
        fixed (float* f32 = w.Format == WeightFormat.F32 ? w.F32Values : default)
        fixed (ushort* f16 = w.Format == WeightFormat.F16 ? w.F16Values : default)
        fixed (sbyte* q8 = w.Format == WeightFormat.Q8 ? w.Q8Values : default)
        fixed (float* scratch = buffer)
        {
            // While the first group of X rows passes over a tile, the next tile's rows are fetched from memory.
            int elementBytes = w.Format switch { WeightFormat.F32 => 4, WeightFormat.F16 => 2, _ => 1 };
            byte* source = f32 != null ? (byte*)f32 : f16 != null ? (byte*)f16 : (byte*)q8;
            int partEnd = Math.Min(last * tileRows, n);
            for (int t = first; t < last; t++)
            {
                int n0 = t * tileRows, rows = Math.Min(tileRows, n - n0);
                float* tile;
                if (f32 != null) tile = f32 + (long)n0 * k;
                else { w.DecodeRows<TLanes, TVec>(n0, rows, scratch); tile = scratch; }
                for (int g = 0; g < m; g += blockRows)
                {
                    for (int j = 0; j < rows; j += wRows)
                    {
                        int count = Math.Min(wRows, rows - j);
                        float* w0 = tile + (long)j * k;
                        float* w1 = count > 1 ? w0 + k : w0, w2 = count > 2 ? w0 + 2 * k : w0;
                        int nextRow = n0 + tileRows + j;
                        byte* ahead = g == 0 && nextRow + wRows <= partEnd ? source + (long)nextRow * k * elementBytes : null;
                        DotGroup<F32Row, TLanes, TVec>(blockRows, m - g, pack + (long)g * k, vectorK, k, (byte*)w0, (byte*)w1, (byte*)w2, null, null, null, result, ahead, wRows * TLanes.Count * elementBytes);
                        StoreBlock(result, Math.Min(blockRows, m - g), count, y + (long)g * n + n0 + j, n, bias == null ? null : bias + n0 + j, accumulate);
                    }
                }
            }
        }
    }

    /// <summary>Y[a, b] (row stride <paramref name="n"/>) = result[a·3 + b] [+ bias[b]] [+ Y[a, b]] for a &lt; rows, b &lt; count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreBlock(float* result, int rows, int count, float* y, int n, float* bias, bool accumulate)
    {
        for (int a = 0; a < rows; a++)
        {
            float* y0 = y + (long)a * n;
            for (int b = 0; b < count; b++)
            {
                float r = result[a * 3 + b];
                if (bias != null) r += bias[b];
                y0[b] = accumulate ? y0[b] + r : r;
            }
        }
    }

    /// <summary>
    /// All M rows of X packed for <see cref="IFloatLanes{TVec}.DotBlock"/>, in groups of BlockRows rows (the last group
    /// padded with zero rows), group g at [g·K, (g + BlockRows)·K): see <see cref="PackRows{TLanes, TVec}"/>. In a
    /// per-thread buffer.
    /// </summary>
    private static float[] PackAllRows<TLanes, TVec>(float* x, float* plainX, int m, int k, int blockRows)
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        int groups = (m + blockRows - 1) / blockRows;
        long length = (long)groups * blockRows * k;
        float[] packed = t_batch is { } buffer && buffer.Length >= length ? buffer : t_batch = new float[length];
        fixed (float* pack = packed)
        {
            for (int g = 0; g < m; g += blockRows)
                PackRows<TLanes, TVec>(x + (long)g * k, plainX + (long)g * k, Math.Min(blockRows, m - g), k, pack + (long)g * k, GroupRows(m - g, blockRows));
        }
        return packed;
    }

    /// <summary>
    /// Interleaves up to BlockRows (R) rows of X (missing rows zero) so the kernel finds the rows' next Count values side
    /// by side: packed[(i / Count)·R·Count + a·Count + i % Count] for the whole Count-value steps, from
    /// <paramref name="x"/>; then the scalar tail of each row, packed[vectorK·R + a·(K − vectorK) + …], from
    /// <paramref name="plainX"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void PackRows<TLanes, TVec>(float* x, float* plainX, int rows, int k, float* packed, int blockRows)
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        int vectorK = k / TLanes.Count * TLanes.Count, tail = k - vectorK;
        for (int a = 0; a < blockRows; a++)
        {
            float* source = x + (long)a * k, plain = plainX + (long)a * k;
            for (int i = 0; i < vectorK; i += TLanes.Count)
                TLanes.Store(a < rows ? TLanes.Load(source + i) : TLanes.Zero, packed + (long)i * blockRows + a * TLanes.Count);
            for (int i = 0; i < tail; i++) packed[(long)vectorK * blockRows + a * tail + i] = a < rows ? plain[vectorK + i] : 0f;
        }
    }

    /// <summary>
    /// Rows of X the group starting with <paramref name="remaining"/> rows left is packed and multiplied as: the tier's
    /// block, except that with 8-row blocks a last group of 1-4 rows takes the 4-row block, so 9-12 rows cost 12
    /// rows of products, not 16 (both blocks reduce each output as <see cref="IFloatLanes{TVec}.Sum"/> does: same bits).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int GroupRows(int remaining, int blockRows) => blockRows == 8 && remaining <= 4 ? 4 : blockRows;

    /// <summary>One group's block (<see cref="GroupRows"/>): the tier's <see cref="IFloatLanes{TVec}.DotBlock"/>, or the 4×3 block for a short last group.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void DotGroup<TRow, TLanes, TVec>(int blockRows, int remaining, float* x, int vectorK, int k, byte* w0, byte* w1, byte* w2, float* s0, float* s1, float* s2, float* result, byte* ahead, int aheadStep)
        where TRow : struct, IRowFormat
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        if (GroupRows(remaining, blockRows) != blockRows) Dot4x3<TRow, TLanes, TVec>(x, vectorK, k, w0, w1, w2, s0, s1, s2, result, ahead, aheadStep);
        else TLanes.DotBlock<TRow>(blockRows, x, vectorK, k, w0, w1, w2, s0, s1, s2, result, ahead, aheadStep);
    }

    /// <summary>
    /// The AVX-512 block: result[a·3 + b] = X row a · W row b for 8 rows of X (interleaved by <see cref="PackRows"/>)
    /// and 3 rows of W: 24 accumulators, each conversion of W serving 8 FMAs and each load of X 3.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    internal static void Dot8x3<TRow>(float* x, int vectorK, int k, byte* w0, byte* w1, byte* w2, float* s0, float* s1, float* s2, float* result, byte* ahead, int aheadStep)
        where TRow : struct, IRowFormat
    {
        const int rows = 8;
        Vector512<float> c00 = default, c10 = default, c20 = default, c30 = default, c40 = default, c50 = default, c60 = default, c70 = default;
        Vector512<float> c01 = default, c11 = default, c21 = default, c31 = default, c41 = default, c51 = default, c61 = default, c71 = default;
        Vector512<float> c02 = default, c12 = default, c22 = default, c32 = default, c42 = default, c52 = default, c62 = default, c72 = default;
        float* xs = x;
        byte* fetch = ahead; // advanced by a pointer, not recomputed from i: that cost a division and a multiply a step
        int fetchStep = ahead == null ? 0 : aheadStep;
        for (int i = 0; i < vectorK; i += 16, xs += 16 * rows)
        {
            PrefetchSpan<FloatLanes512, Vector512<float>>(fetch, 0, aheadStep);
            fetch += fetchStep;
            var b0 = TRow.Load<FloatLanes512, Vector512<float>>(w0, s0, i);
            var b1 = TRow.Load<FloatLanes512, Vector512<float>>(w1, s1, i);
            var b2 = TRow.Load<FloatLanes512, Vector512<float>>(w2, s2, i);
            var a = Vector512.Load(xs + 0);
            c00 = Vector512.FusedMultiplyAdd(a, b0, c00); c01 = Vector512.FusedMultiplyAdd(a, b1, c01); c02 = Vector512.FusedMultiplyAdd(a, b2, c02);
            a = Vector512.Load(xs + 16);
            c10 = Vector512.FusedMultiplyAdd(a, b0, c10); c11 = Vector512.FusedMultiplyAdd(a, b1, c11); c12 = Vector512.FusedMultiplyAdd(a, b2, c12);
            a = Vector512.Load(xs + 32);
            c20 = Vector512.FusedMultiplyAdd(a, b0, c20); c21 = Vector512.FusedMultiplyAdd(a, b1, c21); c22 = Vector512.FusedMultiplyAdd(a, b2, c22);
            a = Vector512.Load(xs + 48);
            c30 = Vector512.FusedMultiplyAdd(a, b0, c30); c31 = Vector512.FusedMultiplyAdd(a, b1, c31); c32 = Vector512.FusedMultiplyAdd(a, b2, c32);
            a = Vector512.Load(xs + 64);
            c40 = Vector512.FusedMultiplyAdd(a, b0, c40); c41 = Vector512.FusedMultiplyAdd(a, b1, c41); c42 = Vector512.FusedMultiplyAdd(a, b2, c42);
            a = Vector512.Load(xs + 80);
            c50 = Vector512.FusedMultiplyAdd(a, b0, c50); c51 = Vector512.FusedMultiplyAdd(a, b1, c51); c52 = Vector512.FusedMultiplyAdd(a, b2, c52);
            a = Vector512.Load(xs + 96);
            c60 = Vector512.FusedMultiplyAdd(a, b0, c60); c61 = Vector512.FusedMultiplyAdd(a, b1, c61); c62 = Vector512.FusedMultiplyAdd(a, b2, c62);
            a = Vector512.Load(xs + 112);
            c70 = Vector512.FusedMultiplyAdd(a, b0, c70); c71 = Vector512.FusedMultiplyAdd(a, b1, c71); c72 = Vector512.FusedMultiplyAdd(a, b2, c72);
        }
        // Horizontal sums, 16 and then 8 at a time, in exactly the pairing of Vector512.Sum.
        HorizontalSums.Each16(c00, c01, c02, c10, c11, c12, c20, c21, c22, c30, c31, c32, c40, c41, c42, c50).Store(result);
        HorizontalSums.Each8(c51, c52, c60, c61, c62, c70, c71, c72).Store(result + 16);
        AddTail<TRow>(x, vectorK, k, rows, w0, w1, w2, s0, s1, s2, result);
    }

    /// <summary>
    /// The AVX2 and portable (fused multiply-add) block: result[a·3 + b] = X row a · W row b for 4 rows of X
    /// (interleaved by <see cref="PackRows"/>) and 3 rows of W: 12 accumulators, 3 converted rows of W and one row of X
    /// in flight fill the 16 vector registers of AVX2 (NEON has 32; SSE without FMA takes <see cref="Dot4x2"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    internal static void Dot4x3<TRow, TLanes, TVec>(float* x, int vectorK, int k, byte* w0, byte* w1, byte* w2, float* s0, float* s1, float* s2, float* result, byte* ahead, int aheadStep)
        where TRow : struct, IRowFormat
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        const int rows = 4;
        int step = TLanes.Count;
        TVec c00 = TLanes.Zero, c01 = TLanes.Zero, c02 = TLanes.Zero, c10 = TLanes.Zero, c11 = TLanes.Zero, c12 = TLanes.Zero;
        TVec c20 = TLanes.Zero, c21 = TLanes.Zero, c22 = TLanes.Zero, c30 = TLanes.Zero, c31 = TLanes.Zero, c32 = TLanes.Zero;
        float* xs = x;
        byte* fetch = ahead;
        int fetchStep = ahead == null ? 0 : aheadStep;
        for (int i = 0; i < vectorK; i += step, xs += rows * step)
        {
            PrefetchSpan<TLanes, TVec>(fetch, 0, aheadStep);
            fetch += fetchStep;
            TVec b0 = TRow.Load<TLanes, TVec>(w0, s0, i);
            TVec b1 = TRow.Load<TLanes, TVec>(w1, s1, i);
            TVec b2 = TRow.Load<TLanes, TVec>(w2, s2, i);
            TVec a = TLanes.Load(xs);
            c00 = TLanes.MultiplyAdd(a, b0, c00); c01 = TLanes.MultiplyAdd(a, b1, c01); c02 = TLanes.MultiplyAdd(a, b2, c02);
            a = TLanes.Load(xs + step);
            c10 = TLanes.MultiplyAdd(a, b0, c10); c11 = TLanes.MultiplyAdd(a, b1, c11); c12 = TLanes.MultiplyAdd(a, b2, c12);
            a = TLanes.Load(xs + 2 * step);
            c20 = TLanes.MultiplyAdd(a, b0, c20); c21 = TLanes.MultiplyAdd(a, b1, c21); c22 = TLanes.MultiplyAdd(a, b2, c22);
            a = TLanes.Load(xs + 3 * step);
            c30 = TLanes.MultiplyAdd(a, b0, c30); c31 = TLanes.MultiplyAdd(a, b1, c31); c32 = TLanes.MultiplyAdd(a, b2, c32);
        }
        TLanes.Sums4(c00, c01, c02, c10, result);
        TLanes.Sums4(c11, c12, c20, c21, result + 4);
        TLanes.Sums4(c22, c30, c31, c32, result + 8);
        AddTail<TRow>(x, vectorK, k, rows, w0, w1, w2, s0, s1, s2, result);
    }

    /// <summary>
    /// The portable block over f32 rows of W where multiply and add are separate instructions (x64 without FMA):
    /// result[a·3 + b] = X row a · W row b for 3 rows of X and 3 rows of W. Each product then needs a register of its own before it is added, so
    /// 4×3's 12 accumulators, 3 rows of W, a row of X and that product are one more than SSE's 16 registers: the JIT
    /// spilled an accumulator, and its store and reload every step put a store-to-load round trip on the loop's
    /// critical path. 9 accumulators + 3 + 1 + 1 fit (measured on a Zen 5 with AVX2 off, 4 GPT-2 layer matrices, 32-128
    /// rows: ≈ 50 GFLOP/s at 4×3, ≈ 90 at 3×3).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    internal static void Dot3x3<TRow, TLanes, TVec>(float* x, int vectorK, int k, byte* w0, byte* w1, byte* w2, float* s0, float* s1, float* s2, float* result, byte* ahead, int aheadStep)
        where TRow : struct, IRowFormat
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        const int rows = 3;
        int step = TLanes.Count;
        TVec c00 = TLanes.Zero, c01 = TLanes.Zero, c02 = TLanes.Zero, c10 = TLanes.Zero, c11 = TLanes.Zero, c12 = TLanes.Zero;
        TVec c20 = TLanes.Zero, c21 = TLanes.Zero, c22 = TLanes.Zero;
        float* xs = x;
        byte* fetch = ahead;
        int fetchStep = ahead == null ? 0 : aheadStep;
        for (int i = 0; i < vectorK; i += step, xs += rows * step)
        {
            PrefetchSpan<TLanes, TVec>(fetch, 0, aheadStep);
            fetch += fetchStep;
            TVec b0 = TRow.Load<TLanes, TVec>(w0, s0, i);
            TVec b1 = TRow.Load<TLanes, TVec>(w1, s1, i);
            TVec b2 = TRow.Load<TLanes, TVec>(w2, s2, i);
            TVec a = TLanes.Load(xs);
            c00 = TLanes.MultiplyAdd(a, b0, c00); c01 = TLanes.MultiplyAdd(a, b1, c01); c02 = TLanes.MultiplyAdd(a, b2, c02);
            a = TLanes.Load(xs + step);
            c10 = TLanes.MultiplyAdd(a, b0, c10); c11 = TLanes.MultiplyAdd(a, b1, c11); c12 = TLanes.MultiplyAdd(a, b2, c12);
            a = TLanes.Load(xs + 2 * step);
            c20 = TLanes.MultiplyAdd(a, b0, c20); c21 = TLanes.MultiplyAdd(a, b1, c21); c22 = TLanes.MultiplyAdd(a, b2, c22);
        }
        TLanes.Sums4(c00, c01, c02, c10, result);
        TLanes.Sums4(c11, c12, c20, c21, result + 4);
        result[8] = TLanes.Sum(c22);
        AddTail<TRow>(x, vectorK, k, rows, w0, w1, w2, s0, s1, s2, result);
    }

    /// <summary>
    /// The portable block over converted rows of W (f16, q8) where multiply and add are separate instructions (x64
    /// without FMA): result[a·3 + b] = X row a · W row b for 4 rows of X and 2 rows of W. 8 accumulators + 2 + 1 + 1 fit
    /// SSE's 16 registers, as <see cref="Dot3x3"/>'s do; here each conversion of W serves four rows of X instead of
    /// three, and eight rows take two groups instead of three (one of them a wasted row). Measured on the Zen 5 with AVX
    /// off, GPT-2 124M's f16 products at M = 8, 16, alternating runs: 13 % and 18 % less time than 3×3 (f32 rows, which
    /// convert nothing, were about 7 % slower at prefill with 4×2, so they keep 3×3).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    internal static void Dot4x2<TRow, TLanes, TVec>(float* x, int vectorK, int k, byte* w0, byte* w1, float* s0, float* s1, float* result, byte* ahead, int aheadStep)
        where TRow : struct, IRowFormat
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        const int rows = 4;
        int step = TLanes.Count;
        TVec c00 = TLanes.Zero, c01 = TLanes.Zero, c10 = TLanes.Zero, c11 = TLanes.Zero;
        TVec c20 = TLanes.Zero, c21 = TLanes.Zero, c30 = TLanes.Zero, c31 = TLanes.Zero;
        float* xs = x;
        byte* fetch = ahead;
        int fetchStep = ahead == null ? 0 : aheadStep;
        for (int i = 0; i < vectorK; i += step, xs += rows * step)
        {
            PrefetchSpan<TLanes, TVec>(fetch, 0, aheadStep);
            fetch += fetchStep;
            TVec b0 = TRow.Load<TLanes, TVec>(w0, s0, i);
            TVec b1 = TRow.Load<TLanes, TVec>(w1, s1, i);
            TVec a = TLanes.Load(xs);
            c00 = TLanes.MultiplyAdd(a, b0, c00); c01 = TLanes.MultiplyAdd(a, b1, c01);
            a = TLanes.Load(xs + step);
            c10 = TLanes.MultiplyAdd(a, b0, c10); c11 = TLanes.MultiplyAdd(a, b1, c11);
            a = TLanes.Load(xs + 2 * step);
            c20 = TLanes.MultiplyAdd(a, b0, c20); c21 = TLanes.MultiplyAdd(a, b1, c21);
            a = TLanes.Load(xs + 3 * step);
            c30 = TLanes.MultiplyAdd(a, b0, c30); c31 = TLanes.MultiplyAdd(a, b1, c31);
        }
        result[0] = TLanes.Sum(c00); result[1] = TLanes.Sum(c01);
        result[3] = TLanes.Sum(c10); result[4] = TLanes.Sum(c11);
        result[6] = TLanes.Sum(c20); result[7] = TLanes.Sum(c21);
        result[9] = TLanes.Sum(c30); result[10] = TLanes.Sum(c31);
        AddTail<TRow>(x, vectorK, k, rows, w0, w1, w0, s0, s1, s0, result);
    }

    /// <summary>
    /// <see cref="Dot4x2"/> over f32 rows of W at the portable tier, whatever block this process's portable tier uses, so
    /// tests check it on CPUs that fuse multiply-add (and therefore take the 4×3 block).
    /// </summary>
    internal static void PortableDot4x2(float* x, int vectorK, int k, float* w0, float* w1, float* result) =>
        Dot4x2<F32Row, FloatLanes128, Vector128<float>>(x, vectorK, k, (byte*)w0, (byte*)w1, null, null, result, null, 0);

    /// <summary>
    /// <see cref="Dot3x3"/> over f32 rows of W at the portable tier, whatever block this process's portable tier uses, so
    /// tests check it on CPUs that fuse multiply-add (and therefore take the 4×3 block).
    /// </summary>
    internal static void PortableDot3x3(float* x, int vectorK, int k, float* w0, float* w1, float* w2, float* result) =>
        Dot3x3<F32Row, FloatLanes128, Vector128<float>>(x, vectorK, k, (byte*)w0, (byte*)w1, (byte*)w2, null, null, null, result, null, 0);

    /// <summary>The scalar tail of a block's outputs (K − vectorK values), added in order as the one-row kernels add it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTail<TRow>(float* x, int vectorK, int k, int rows, byte* w0, byte* w1, byte* w2, float* s0, float* s1, float* s2, float* result)
        where TRow : struct, IRowFormat
    {
        float* tail = x + (long)vectorK * rows;
        int tailLength = k - vectorK;
        for (int i = vectorK; i < k; i++)
        {
            float v0 = TRow.Load1(w0, s0, i), v1 = TRow.Load1(w1, s1, i), v2 = TRow.Load1(w2, s2, i);
            for (int a = 0; a < rows; a++)
            {
                float xi = tail[a * tailLength + i - vectorK];
                result[a * 3] += xi * v0;
                result[a * 3 + 1] += xi * v1;
                result[a * 3 + 2] += xi * v2;
            }
        }
    }
}
