using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Myna.Tensors.Quantized;

/// <summary>
/// The batched-decode path of <see cref="QuantizedMatMul"/>: a handful of rows of X (several sequences decoding
/// together) against W streamed from memory once. Each three W rows are converted to f32 in registers, 16 values at a
/// time, and multiplied with 8 rows of X at once (24 accumulators), so a conversion serves 8 products and the FMA
/// pipes, not loads or conversions, set the pace. No tile is written and read back, and the next rows of W are fetched
/// while these are computed. Each output is the same single-accumulator dot product, reduction and scalar tail as the
/// other paths, so a row's result does not depend on how many rows share the call.
/// </summary>
public static unsafe partial class QuantizedMatMul
{
    /// <summary>Row counts from <see cref="FusedRowLimit"/> up to this one take the batched path; more rows (prefill) share decoded tiles instead.</summary>
    internal const int BatchedRowLimit = 16;

    private const int BatchRows = 8;      // rows of X per kernel call
    private const int PrefetchGroups = 2; // how many groups of 3 W rows ahead memory is asked for

    [ThreadStatic] private static float[]? t_batch; // 8 rows of X, interleaved

    /// <summary>Rows [start, end) of Y for all M rows of X, 8 rows of X and 3 rows of W at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void RunBatched(QuantizedMatrix w, float* x, float* rebiasedX, float* y, float* bias, int m, int start, int end, bool accumulate)
    {
        switch (w.Format)
        {
            case WeightFormat.F32:
                fixed (float* values = w.F32Values) RunBatched<F32Row>((byte*)values, null, 0, w, x, x, y, bias, m, start, end, accumulate);
                break;
            case WeightFormat.F16:
                fixed (ushort* values = w.F16Values)
                {
                    if (rebiasedX != null) RunBatched<RebiasedF16Row>((byte*)values, null, 0, w, rebiasedX, x, y, bias, m, start, end, accumulate);
                    else RunBatched<F16Row>((byte*)values, null, 0, w, x, x, y, bias, m, start, end, accumulate);
                }
                break;
            default:
                fixed (sbyte* values = w.Q8Values)
                fixed (float* scales = w.Q8Scales) RunBatched<Q8Row>((byte*)values, scales, w.BlocksPerRow, w, x, x, y, bias, m, start, end, accumulate);
                break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void RunBatched<TRow>(byte* values, float* scales, int blocks, QuantizedMatrix w, float* x, float* plainX, float* y, float* bias, int m, int start, int end, bool accumulate)
        where TRow : struct, IRowFormat
    {
        int n = w.Rows, k = w.Columns, vectorK = k / 16 * 16;
        long rowBytes = (long)k * TRow.ElementBytes;
        float* result = stackalloc float[3 * BatchRows];
        // Each thread packs its own copy of X: packing once on the calling thread measured 5-15% slower for f16
        // (the other core then reads all of X across cores on every product), for the same work on the critical path.
        float[] packed = t_batch is { } buffer && buffer.Length >= BatchRows * k ? buffer : t_batch = new float[BatchRows * k];
        fixed (float* pack = packed)
        {
            for (int g = 0; g < m; g += BatchRows)
            {
                int rows = Math.Min(BatchRows, m - g);
                PackRows(x + (long)g * k, plainX + (long)g * k, rows, k, pack);
                for (int j = start; j < end; j += 3)
                {
                    int count = Math.Min(3, end - j);
                    byte* w0 = values + j * rowBytes;
                    byte* w1 = count > 1 ? w0 + rowBytes : w0, w2 = count > 2 ? w0 + 2 * rowBytes : w0;
                    float* s0 = scales == null ? null : scales + (long)j * blocks;
                    float* s1 = scales == null ? null : count > 1 ? s0 + blocks : s0, s2 = scales == null ? null : count > 2 ? s0 + 2 * blocks : s0;
                    int next = j + 3 * PrefetchGroups;
                    byte* ahead = g == 0 && next + 3 <= end ? values + next * rowBytes : null;
                    Dot8x3<TRow>(pack, vectorK, k, w0, w1, w2, s0, s1, s2, result, ahead);
                    for (int a = 0; a < rows; a++)
                    {
                        float* y0 = y + (long)(g + a) * n + j;
                        for (int b = 0; b < count; b++)
                        {
                            float r = result[a * 3 + b];
                            if (bias != null) r += bias[j + b];
                            y0[b] = accumulate ? y0[b] + r : r;
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// Interleaves up to 8 rows of X (missing rows zero) so the kernel finds the 8 rows' next 16 values side by side:
    /// packed[(i / 16)·128 + a·16 + i % 16] for the whole 16-value steps, from <paramref name="x"/>; then the scalar
    /// tail of each row, packed[vectorK·8 + a·(K − vectorK) + …], from <paramref name="plainX"/>.
    /// </summary>
    private static void PackRows(float* x, float* plainX, int rows, int k, float* packed)
    {
        int vectorK = k / 16 * 16, tail = k - vectorK;
        for (int a = 0; a < BatchRows; a++)
        {
            float* source = x + (long)a * k, plain = plainX + (long)a * k;
            for (int i = 0; i < vectorK; i += 16)
            {
                var values = a < rows ? Vector512.Load(source + i) : Vector512<float>.Zero;
                values.Store(packed + (long)i * BatchRows + a * 16);
            }
            for (int i = 0; i < tail; i++) packed[(long)vectorK * BatchRows + a * tail + i] = a < rows ? plain[vectorK + i] : 0f;
        }
    }

    /// <summary>
    /// result[a·3 + b] = X row a · W row b for 8 rows of X (interleaved by <see cref="PackRows"/>) and 3 rows of W:
    /// 24 accumulators, each conversion of W serving 8 FMAs and each load of X 3.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void Dot8x3<TRow>(float* x, int vectorK, int k, byte* w0, byte* w1, byte* w2, float* s0, float* s1, float* s2, float* result, byte* ahead)
        where TRow : struct, IRowFormat
    {
        Vector512<float> c00 = default, c10 = default, c20 = default, c30 = default, c40 = default, c50 = default, c60 = default, c70 = default;
        Vector512<float> c01 = default, c11 = default, c21 = default, c31 = default, c41 = default, c51 = default, c61 = default, c71 = default;
        Vector512<float> c02 = default, c12 = default, c22 = default, c32 = default, c42 = default, c52 = default, c62 = default, c72 = default;
        float* xs = x;
        for (int i = 0; i < vectorK; i += 16, xs += 16 * BatchRows)
        {
            if (ahead != null)
            {
                // The next three rows at the pace these are read: 3 × 16 values per step.
                byte* at = ahead + (long)(i >> 4) * (3 * 16 * TRow.ElementBytes);
                Sse.Prefetch0(at);
                if (TRow.ElementBytes >= 2) Sse.Prefetch0(at + 64);
                if (TRow.ElementBytes >= 4) Sse.Prefetch0(at + 128);
            }
            var b0 = TRow.Load16(w0, s0, i);
            var b1 = TRow.Load16(w1, s1, i);
            var b2 = TRow.Load16(w2, s2, i);
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
        float* tail = x + (long)vectorK * BatchRows;
        int tailLength = k - vectorK;
        for (int i = vectorK; i < k; i++)
        {
            float v0 = TRow.Load1(w0, s0, i), v1 = TRow.Load1(w1, s1, i), v2 = TRow.Load1(w2, s2, i);
            for (int a = 0; a < BatchRows; a++)
            {
                float xi = tail[a * tailLength + i - vectorK];
                result[a * 3] += xi * v0;
                result[a * 3 + 1] += xi * v1;
                result[a * 3 + 2] += xi * v2;
            }
        }
    }
}
