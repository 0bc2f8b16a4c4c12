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

    [ThreadStatic] private static float[]? t_batch;

    /// <summary>How the kernel reads 16 consecutive weights of one stored row as floats.</summary>
    private interface IRowFormat
    {
        static abstract int ElementBytes { get; }

        static abstract Vector512<float> Load16(byte* row, float* scales, int i);

        static abstract float Load1(byte* row, float* scales, int i);
    }

    private readonly struct F32Row : IRowFormat
    {
        public static int ElementBytes => 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load16(byte* row, float* scales, int i) => Vector512.Load((float*)row + i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* row, float* scales, int i) => ((float*)row)[i];
    }

    /// <summary>f16 against X pre-multiplied by 2^112 (see <c>TryRebias</c>): the shifted half bits are the weight times 2^-112 exactly.</summary>
    private readonly struct RebiasedF16Row : IRowFormat
    {
        public static int ElementBytes => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load16(byte* row, float* scales, int i) =>
            ((Avx512F.ConvertToVector512Int32(Vector256.Load((short*)row + i)) << 13) & Vector512.Create(unchecked((int)0x8FFF_E000))).AsSingle();

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* row, float* scales, int i) => (float)BitConverter.Int16BitsToHalf(((short*)row)[i]);
    }

    private readonly struct F16Row : IRowFormat
    {
        public static int ElementBytes => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load16(byte* row, float* scales, int i) => HalfConversion.HalfToSingle16((short*)row + i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* row, float* scales, int i) => (float)BitConverter.Int16BitsToHalf(((short*)row)[i]);
    }

    private readonly struct Q8Row : IRowFormat
    {
        public static int ElementBytes => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load16(byte* row, float* scales, int i) => Q8x16((sbyte*)row + i, scales[i >> 5]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* row, float* scales, int i) => ((sbyte*)row)[i] * scales[i >> 5];
    }

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
        int n = w.Rows, k = w.Columns;
        long rowBytes = (long)k * TRow.ElementBytes;
        float* result = stackalloc float[3 * BatchRows];
        // A last group of fewer than 8 rows of X runs on copies padded with zero rows (whose outputs are dropped).
        float[]? padded = null;
        if (m % BatchRows != 0)
        {
            padded = t_batch;
            if (padded is null || padded.Length < 2 * BatchRows * k) t_batch = padded = new float[2 * BatchRows * k];
        }
        fixed (float* pad = padded)
        {
            for (int g = 0; g < m; g += BatchRows)
            {
                int rows = Math.Min(BatchRows, m - g);
                float* xg = x + (long)g * k, plain = plainX + (long)g * k;
                if (rows < BatchRows)
                {
                    float* copy = pad, plainCopy = pad + BatchRows * k;
                    new Span<float>(copy, BatchRows * k).Clear();
                    new Span<float>(xg, rows * k).CopyTo(new Span<float>(copy, rows * k));
                    new Span<float>(plainCopy, BatchRows * k).Clear();
                    new Span<float>(plain, rows * k).CopyTo(new Span<float>(plainCopy, rows * k));
                    xg = copy;
                    plain = plainCopy;
                }
                for (int j = start; j < end; j += 3)
                {
                    int count = Math.Min(3, end - j);
                    byte* w0 = values + j * rowBytes;
                    byte* w1 = count > 1 ? w0 + rowBytes : w0, w2 = count > 2 ? w0 + 2 * rowBytes : w0;
                    float* s0 = scales == null ? null : scales + (long)j * blocks;
                    float* s1 = scales == null ? null : count > 1 ? s0 + blocks : s0, s2 = scales == null ? null : count > 2 ? s0 + 2 * blocks : s0;
                    int next = j + 3 * PrefetchGroups;
                    byte* ahead = g == 0 && next + 3 <= end ? values + next * rowBytes : null;
                    Dot8x3<TRow>(xg, plain, k, w0, w1, w2, s0, s1, s2, result, ahead, 3 * 16 * TRow.ElementBytes);
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
    /// result[a·3 + b] = X row a · W row b for 8 rows of X (stride K) and 3 rows of W (24 accumulators: each conversion
    /// of W serves 8 FMAs and each load of X 3); <paramref name="plainX"/> is X as given, for the scalar tail, when
    /// <paramref name="x"/> is a rescaled copy.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void Dot8x3<TRow>(float* x, float* plainX, int k, byte* w0, byte* w1, byte* w2, float* s0, float* s1, float* s2, float* result, byte* ahead, int aheadStep)
        where TRow : struct, IRowFormat
    {
        Vector512<float> c00 = default, c10 = default, c20 = default, c30 = default, c40 = default, c50 = default, c60 = default, c70 = default;
        Vector512<float> c01 = default, c11 = default, c21 = default, c31 = default, c41 = default, c51 = default, c61 = default, c71 = default;
        Vector512<float> c02 = default, c12 = default, c22 = default, c32 = default, c42 = default, c52 = default, c62 = default, c72 = default;
        float* x1 = x + k, x2 = x1 + k, x3 = x2 + k, x4 = x3 + k, x5 = x4 + k, x6 = x5 + k, x7 = x6 + k;
        int i = 0;
        for (; i <= k - 16; i += 16)
        {
            PrefetchSpan(ahead, (long)(i >> 4) * aheadStep, aheadStep);
            var b0 = TRow.Load16(w0, s0, i);
            var b1 = TRow.Load16(w1, s1, i);
            var b2 = TRow.Load16(w2, s2, i);
            var a = Vector512.Load(x + i);
            c00 = Vector512.FusedMultiplyAdd(a, b0, c00); c01 = Vector512.FusedMultiplyAdd(a, b1, c01); c02 = Vector512.FusedMultiplyAdd(a, b2, c02);
            a = Vector512.Load(x1 + i);
            c10 = Vector512.FusedMultiplyAdd(a, b0, c10); c11 = Vector512.FusedMultiplyAdd(a, b1, c11); c12 = Vector512.FusedMultiplyAdd(a, b2, c12);
            a = Vector512.Load(x2 + i);
            c20 = Vector512.FusedMultiplyAdd(a, b0, c20); c21 = Vector512.FusedMultiplyAdd(a, b1, c21); c22 = Vector512.FusedMultiplyAdd(a, b2, c22);
            a = Vector512.Load(x3 + i);
            c30 = Vector512.FusedMultiplyAdd(a, b0, c30); c31 = Vector512.FusedMultiplyAdd(a, b1, c31); c32 = Vector512.FusedMultiplyAdd(a, b2, c32);
            a = Vector512.Load(x4 + i);
            c40 = Vector512.FusedMultiplyAdd(a, b0, c40); c41 = Vector512.FusedMultiplyAdd(a, b1, c41); c42 = Vector512.FusedMultiplyAdd(a, b2, c42);
            a = Vector512.Load(x5 + i);
            c50 = Vector512.FusedMultiplyAdd(a, b0, c50); c51 = Vector512.FusedMultiplyAdd(a, b1, c51); c52 = Vector512.FusedMultiplyAdd(a, b2, c52);
            a = Vector512.Load(x6 + i);
            c60 = Vector512.FusedMultiplyAdd(a, b0, c60); c61 = Vector512.FusedMultiplyAdd(a, b1, c61); c62 = Vector512.FusedMultiplyAdd(a, b2, c62);
            a = Vector512.Load(x7 + i);
            c70 = Vector512.FusedMultiplyAdd(a, b0, c70); c71 = Vector512.FusedMultiplyAdd(a, b1, c71); c72 = Vector512.FusedMultiplyAdd(a, b2, c72);
        }
        result[0] = Vector512.Sum(c00); result[1] = Vector512.Sum(c01); result[2] = Vector512.Sum(c02);
        result[3] = Vector512.Sum(c10); result[4] = Vector512.Sum(c11); result[5] = Vector512.Sum(c12);
        result[6] = Vector512.Sum(c20); result[7] = Vector512.Sum(c21); result[8] = Vector512.Sum(c22);
        result[9] = Vector512.Sum(c30); result[10] = Vector512.Sum(c31); result[11] = Vector512.Sum(c32);
        result[12] = Vector512.Sum(c40); result[13] = Vector512.Sum(c41); result[14] = Vector512.Sum(c42);
        result[15] = Vector512.Sum(c50); result[16] = Vector512.Sum(c51); result[17] = Vector512.Sum(c52);
        result[18] = Vector512.Sum(c60); result[19] = Vector512.Sum(c61); result[20] = Vector512.Sum(c62);
        result[21] = Vector512.Sum(c70); result[22] = Vector512.Sum(c71); result[23] = Vector512.Sum(c72);
        for (; i < k; i++)
        {
            float v0 = TRow.Load1(w0, s0, i), v1 = TRow.Load1(w1, s1, i), v2 = TRow.Load1(w2, s2, i);
            for (int a = 0; a < BatchRows; a++)
            {
                float xi = plainX[(long)a * k + i];
                result[a * 3] += xi * v0;
                result[a * 3 + 1] += xi * v1;
                result[a * 3 + 2] += xi * v2;
            }
        }
    }
}
