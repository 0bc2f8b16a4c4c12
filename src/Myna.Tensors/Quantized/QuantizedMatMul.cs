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
/// Three paths, by the number of rows of X. Decoding one to three sequences (M &lt; <see cref="FusedRowLimit"/>): W
/// streams past four rows at a time, converted in registers, while the next four rows are prefetched so memory stays
/// busy through the arithmetic. Batched decoding (up to <see cref="BatchedRowLimit"/> rows): an 8×3 register-blocked
/// kernel (QuantizedMatMul.Batched.cs). Prefill: W is walked in tiles expanded to f32 in a per-thread buffer that stays
/// in cache (f32 tiles are used in place) and multiplied with all rows of X by a 4×4 register-blocked kernel. Each of
/// these computes every output as the same single-accumulator dot product, so a row's result does not depend on the
/// path, M, the tile or the thread count, and incremental decoding is bit-identical to recomputation.
/// <para>
/// The exception is q8 with whole 32-value blocks on a CPU with AVX-VNNI, as llama.cpp does it: while decoding (up to
/// <see cref="BatchedRowLimit"/> rows) each row of X is itself quantised to q8 blocks, and each block's product is a
/// byte dot product in integers, scaled once by both blocks' scales — one row at a time below
/// <see cref="FusedRowLimit"/>, 8×8 at a time above (QuantizedMatMul.BatchedInteger.cs). Those outputs carry X's
/// rounding to 8 bits (relative error about 1/254 of each block's largest |x|), so they are close to, not
/// bit-identical with, the f32-activation paths, and the two integer kernels sum in different orders.
/// </para>
/// </remarks>
public static unsafe partial class QuantizedMatMul
{
    /// <summary>Below this many rows of X the fused f16/q8 kernels run; from it on, the tiles' conversion is shared by every 4 rows.</summary>
    internal const int FusedRowLimit = 4;
    private const int FusedPrefetchRows = 4; // the streaming kernels fetch the next group of four W rows while computing one

    private const int TileFloats = 8192; // a W tile of ≤ 32 KiB of f32 stays in L1 while all of X passes over it

    [ThreadStatic] private static float[]? t_tile;
    [ThreadStatic] private static float[]? t_rebiased;
    [ThreadStatic] private static sbyte[]? t_quantized;
    [ThreadStatic] private static float[]? t_quantizedScales;

    /// <summary>Whether Y = X·Wᵀ with <paramref name="m"/> rows takes the integer path (X quantised to q8 blocks).</summary>
    internal static bool QuantizesActivations(QuantizedMatrix w, int m) =>
        m <= BatchedRowLimit && w.Format == WeightFormat.Q8 && w.Columns % QuantizedMatrix.BlockSize == 0 && AvxVnni.IsSupported && Avx2.IsSupported && Avx512F.IsSupported;

    /// <summary>Computes <c>Y = X · Wᵀ</c>, plus <paramref name="bias"/> (length N) when given, plus the old Y when <paramref name="accumulate"/> is set.</summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires, or M is negative.</exception>
    public static void Multiply(ReadOnlySpan<float> x, QuantizedMatrix w, Span<float> y, int m, ReadOnlySpan<float> bias = default, bool accumulate = false)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        int n = w.Rows, k = w.Columns;
        if (x.Length < (long)m * k) throw new ArgumentException($"X holds {x.Length} values; ({m}, {k}) needs {(long)m * k}.", nameof(x));
        if (y.Length < (long)m * n) throw new ArgumentException($"Y holds {y.Length} values; ({m}, {n}) needs {(long)m * n}.", nameof(y));
        if (!bias.IsEmpty && bias.Length < n) throw new ArgumentException($"bias holds {bias.Length} values; N is {n}.", nameof(bias));
        if (m == 0) return;

        int tileRows = Math.Clamp(TileFloats / k / 4 * 4, 4, 64);
        int tiles = (n + tileRows - 1) / tileRows;
        int parts = Math.Min(tiles, ComputePool.Shared.ThreadCount);
        sbyte[]? qx = null;
        float[]? dx = null;
        if (QuantizesActivations(w, m))
        {
            int blocks = k / QuantizedMatrix.BlockSize;
            qx = t_quantized is { } q && q.Length >= m * k ? q : t_quantized = new sbyte[m * k];
            dx = t_quantizedScales is { } d && d.Length >= m * blocks ? d : t_quantizedScales = new float[m * blocks];
            QuantizeActivations(x[..(m * k)], qx, dx);
        }
        uint[]? packedQuantized = null;
        if (qx is not null && m >= FusedRowLimit)
        {
            fixed (sbyte* pq = qx) packedQuantized = PackQuantizedRows(pq, m, k);
        }
        float[]? rebiased = null;
        if (m <= BatchedRowLimit && w.Format == WeightFormat.F16 && Avx512F.IsSupported)
        {
            rebiased = t_rebiased is { } r && r.Length >= m * k ? r : t_rebiased = new float[m * k];
            if (!TryRebias(x[..(m * k)], rebiased)) rebiased = null;
        }
        fixed (float* px = x, py = y, pb = bias, pdx = dx, prx = rebiased)
        fixed (sbyte* pqx = qx)
        fixed (uint* ppx = packedQuantized)
        {
            float* xp = px, yp = py, bp = bias.IsEmpty ? null : pb;
            var job = new Job(xp, w, yp, bp, m, tileRows, tiles, parts, accumulate, pqx, pdx, prx, ppx);
            if (parts == 1) job.Run(0);
            else ComputePool.Shared.For(parts, job.Run);
        }
    }

    /// <summary>
    /// Quantises rows of 32-value blocks to q8 (d = max|x| / 127, q = x/d rounded to nearest even), the activation side
    /// of the integer path.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    internal static void QuantizeActivations(ReadOnlySpan<float> x, Span<sbyte> q, Span<float> scales)
    {
        int blocks = x.Length / QuantizedMatrix.BlockSize;
        if (x.Length % QuantizedMatrix.BlockSize != 0 || q.Length < x.Length || scales.Length < blocks) throw new ArgumentException("need whole blocks of 32 and room for them.");
        fixed (float* px = x, ps = scales)
        fixed (sbyte* pq = q)
        {
            for (int b = 0; b < blocks; b++)
            {
                float* xb = px + b * 32;
                var lo = Vector512.Load(xb);
                var hi = Vector512.Load(xb + 16);
                var m = Vector512.Max(Vector512.Abs(lo), Vector512.Abs(hi));
                var m4 = Vector128.Max(Vector256.Max(m.GetLower(), m.GetUpper()).GetLower(), Vector256.Max(m.GetLower(), m.GetUpper()).GetUpper());
                float max = MathF.Max(MathF.Max(m4[0], m4[1]), MathF.Max(m4[2], m4[3]));
                float d = max / 127f, inverse = d != 0 ? 1f / d : 0f;
                ps[b] = d;
                var scale = Vector512.Create(inverse);
                Avx512F.ConvertToVector128SByteWithSaturation(Avx512F.ConvertToVector512Int32(lo * scale)).Store(pq + b * 32);
                Avx512F.ConvertToVector128SByteWithSaturation(Avx512F.ConvertToVector512Int32(hi * scale)).Store(pq + b * 32 + 16);
            }
        }
    }

    // f16 decoding with X pre-multiplied by 2^112: the half's bits shifted into place are then w·2^-112 exactly, and
    // (x·2^112)·(w·2^-112) is the same real product, so the fused kernel skips a multiply and still rounds identically.
    // Only while x·2^112 stays finite, i.e. |x| < 2^15.
    private static readonly float Rebias = HalfConversion.InPlaceScale; // 2^112
    private const float RebiasLimit = 32768f;

    /// <summary>destination = x·2^112, or false when some |x| ≥ 2^15 (or is not finite) so that would overflow.</summary>
    private static bool TryRebias(ReadOnlySpan<float> x, Span<float> destination)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float v = x[i];
            if (!(MathF.Abs(v) < RebiasLimit)) return false;
            destination[i] = v * Rebias;
        }
        return true;
    }

    private sealed class Job(float* x, QuantizedMatrix w, float* y, float* bias, int m, int tileRows, int tiles, int parts, bool accumulate, sbyte* qx, float* dx, float* rebiasedX, uint* packedQuantizedX)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
        public void Run(int part)
        {
            int n = w.Rows, k = w.Columns;
            int first = (int)((long)tiles * part / parts), last = (int)((long)tiles * (part + 1) / parts);
            if (m < FusedRowLimit && Avx512F.IsSupported)
            {
                RunFused(first * tileRows, Math.Min(last * tileRows, n));
                return;
            }
            if (packedQuantizedX != null)
            {
                RunBatchedInteger(w, packedQuantizedX, dx, y, bias, m, first * tileRows, Math.Min(last * tileRows, n), accumulate);
                return;
            }
            if (m >= FusedRowLimit && m <= BatchedRowLimit && Avx512F.IsSupported)
            {
                RunBatched(w, x, rebiasedX, y, bias, m, first * tileRows, Math.Min(last * tileRows, n), accumulate);
                return;
            }
            float[]? buffer = null;
            if (w.Format != WeightFormat.F32)
            {
                buffer = t_tile;
                if (buffer is null || buffer.Length < tileRows * k) t_tile = buffer = new float[tileRows * k];
            }
            fixed (float* f32 = w.Format == WeightFormat.F32 ? w.F32Values : null)
            fixed (ushort* f16 = w.Format == WeightFormat.F16 ? w.F16Values : null)
            fixed (sbyte* q8 = w.Format == WeightFormat.Q8 ? w.Q8Values : null)
            fixed (float* scratch = buffer)
            {
                float* result = stackalloc float[16];
                // While the first rows of X pass over a tile, the same rows of the next tile are fetched from memory.
                int elementBytes = w.Format switch { WeightFormat.F32 => 4, WeightFormat.F16 => 2, _ => 1 };
                byte* source = f32 != null ? (byte*)f32 : f16 != null ? (byte*)f16 : (byte*)q8;
                int partEnd = Math.Min(last * tileRows, n);
                for (int t = first; t < last; t++)
                {
                    int n0 = t * tileRows, rows = Math.Min(tileRows, n - n0);
                    float* tile;
                    if (f32 != null) tile = f32 + (long)n0 * k;
                    else { w.DecodeRows(n0, rows, scratch); tile = scratch; }
                    for (int i = 0; i < m; i += 4)
                    {
                        int xr = Math.Min(4, m - i);
                        for (int j = 0; j < rows; j += 4)
                        {
                            int wr = Math.Min(4, rows - j);
                            int nextRow = n0 + tileRows + j;
                            byte* ahead = i == 0 && nextRow + 4 <= partEnd ? source + (long)nextRow * k * elementBytes : null;
                            Dots(x + (long)i * k, xr, tile + (long)j * k, wr, k, result, ahead, 4 * 16 * elementBytes);
                            for (int a = 0; a < xr; a++)
                            {
                                float* row = y + (long)(i + a) * n + n0 + j;
                                for (int b = 0; b < wr; b++)
                                {
                                    float r = result[a * 4 + b];
                                    if (bias != null) r += bias[n0 + j + b];
                                    row[b] = accumulate ? row[b] + r : r;
                                }
                            }
                        }
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
        private void RunFused(int start, int end)
        {
            int n = w.Rows, k = w.Columns;
            float* result = stackalloc float[4];
            fixed (float* f32 = w.Format == WeightFormat.F32 ? w.F32Values : null)
            fixed (ushort* f16 = w.Format == WeightFormat.F16 ? w.F16Values : null)
            fixed (sbyte* q8 = w.Format == WeightFormat.Q8 ? w.Q8Values : null)
            fixed (float* scales = w.Format == WeightFormat.Q8 ? w.Q8Scales : null)
            {
                int blocks = w.BlocksPerRow;
                for (int j = start; j < end; j += 4)
                {
                    int wr = Math.Min(4, end - j);
                    for (int a = 0; a < m; a++)
                    {
                        float* xa = x + (long)a * k;
                        // The next group of rows, fetched while this one is computed: only the first row of X does it.
                        byte* ahead = a == 0 && j + 4 + FusedPrefetchRows <= end
                            ? (f32 != null ? (byte*)(f32 + (long)(j + FusedPrefetchRows) * k) : f16 != null ? (byte*)(f16 + (long)(j + FusedPrefetchRows) * k) : (byte*)(q8 + (long)(j + FusedPrefetchRows) * k))
                            : null;
                        if (f32 != null) DotRows<F32Row>(xa, xa, (byte*)(f32 + (long)j * k), null, wr, k, blocks, result, ahead, 4 * 16 * sizeof(float));
                        else if (f16 != null)
                        {
                            byte* row = (byte*)(f16 + (long)j * k);
                            if (rebiasedX != null) DotRows<RebiasedF16Row>(rebiasedX + (long)a * k, xa, row, null, wr, k, blocks, result, ahead, 4 * 16 * sizeof(ushort));
                            else DotRows<F16Row>(xa, xa, row, null, wr, k, blocks, result, ahead, 4 * 16 * sizeof(ushort));
                        }
                        else
                        {
                            sbyte* row = q8 + (long)j * k;
                            float* rowScales = scales + (long)j * blocks;
                            if (qx != null)
                            {
                                sbyte* qa = qx + (long)a * k;
                                float* da = dx + (long)a * blocks;
                                if (wr == 4) DotQ8x4Integer(qa, da, row, rowScales, blocks, result, ahead);
                                else for (int b = 0; b < wr; b++) result[b] = DotQ8Integer(qa, da, row + (long)b * k, rowScales + (long)b * blocks, blocks);
                            }
                            else DotRows<Q8Row>(xa, xa, (byte*)row, rowScales, wr, k, blocks, result, ahead, 4 * 16);
                        }
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

    /// <summary>
    /// Asks for the cache lines of [<paramref name="offset"/>, + <paramref name="bytes"/>) after <paramref name="ahead"/>
    /// (nothing when null): the streaming kernels walk a few rows of W and, as they go, fetch the next rows at the same
    /// pace, so memory is kept busy through the arithmetic instead of only when a load misses.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchSpan(byte* ahead, long offset, int bytes)
    {
        if (ahead == null) return;
        for (int at = 0; at < bytes; at += 64) Sse.Prefetch0(ahead + offset + at);
    }

    // The fused kernels compute exactly what the tile path does: the same f32 weight values (f16 → f32 is exact, q8 is
    // (float)q · d), one accumulator per output over 16-lane steps, the same reduction and the same scalar tail.

    /// <summary>
    /// result[b] = x · W row b for <paramref name="rows"/> ≤ 4 rows of W (K long, contiguous, in any
    /// <see cref="IRowFormat"/>), four at once; <paramref name="plainX"/> is X as given, for the scalar tail, when
    /// <paramref name="x"/> is a rescaled copy. Fetches [<paramref name="ahead"/>, + K/16 · <paramref name="aheadStep"/>)
    /// at the pace the rows are read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void DotRows<TRow>(float* x, float* plainX, byte* w, float* scales, int rows, int k, int blocks, float* result, byte* ahead, int aheadStep)
        where TRow : struct, IRowFormat
    {
        long rowBytes = (long)k * TRow.ElementBytes;
        if (rows < 4)
        {
            for (int b = 0; b < rows; b++) result[b] = DotRow<TRow>(x, plainX, w + b * rowBytes, scales == null ? null : scales + (long)b * blocks, k);
            return;
        }
        byte* w1 = w + rowBytes, w2 = w1 + rowBytes, w3 = w2 + rowBytes;
        float* s1 = scales == null ? null : scales + blocks, s2 = scales == null ? null : s1 + blocks, s3 = scales == null ? null : s2 + blocks;
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
        int i = 0;
        for (; i <= k - 16; i += 16)
        {
            var xv = Vector512.Load(x + i);
            PrefetchSpan(ahead, (long)(i >> 4) * aheadStep, aheadStep);
            c0 = Vector512.FusedMultiplyAdd(xv, TRow.Load16(w, scales, i), c0);
            c1 = Vector512.FusedMultiplyAdd(xv, TRow.Load16(w1, s1, i), c1);
            c2 = Vector512.FusedMultiplyAdd(xv, TRow.Load16(w2, s2, i), c2);
            c3 = Vector512.FusedMultiplyAdd(xv, TRow.Load16(w3, s3, i), c3);
        }
        result[0] = Vector512.Sum(c0); result[1] = Vector512.Sum(c1); result[2] = Vector512.Sum(c2); result[3] = Vector512.Sum(c3);
        for (; i < k; i++)
        {
            float xi = plainX[i];
            result[0] += xi * TRow.Load1(w, scales, i);
            result[1] += xi * TRow.Load1(w1, s1, i);
            result[2] += xi * TRow.Load1(w2, s2, i);
            result[3] += xi * TRow.Load1(w3, s3, i);
        }
    }

    /// <summary>x · one W row: the single-row form of <see cref="DotRows{TRow}"/>, with the same steps, reduction and tail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static float DotRow<TRow>(float* x, float* plainX, byte* w, float* scales, int k)
        where TRow : struct, IRowFormat
    {
        var acc = Vector512<float>.Zero;
        int i = 0;
        for (; i <= k - 16; i += 16) acc = Vector512.FusedMultiplyAdd(Vector512.Load(x + i), TRow.Load16(w, scales, i), acc);
        float s = Vector512.Sum(acc);
        for (; i < k; i++) s += plainX[i] * TRow.Load1(w, scales, i);
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Q8x16(sbyte* q, float scale) =>
        Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(q))) * Vector512.Create(scale);

    /// <summary>Σ over blocks of (dw·dx)·Σ qw·qx, the byte products summed in int32 by VPDPBUSD (|w| unsigned × x with w's sign).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> BlockProduct(Vector256<sbyte> x, sbyte* w, float scale, Vector256<float> acc)
    {
        var wv = Vector256.Load(w);
        Vector256<int> sum = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, Avx2.Abs(wv), Avx2.Sign(x, wv));
        return Fma.MultiplyAdd(Avx.ConvertToVector256Single(sum), Vector256.Create(scale), acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static float DotQ8Integer(sbyte* qx, float* dx, sbyte* w, float* scales, int blocks)
    {
        var acc = Vector256<float>.Zero;
        for (int b = 0; b < blocks; b++) acc = BlockProduct(Vector256.Load(qx + b * 32), w + b * 32, scales[b] * dx[b], acc);
        return Vector256.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void DotQ8x4Integer(sbyte* qx, float* dx, sbyte* w, float* scales, int blocks, float* result, byte* ahead)
    {
        int k = blocks * 32;
        sbyte* w1 = w + k, w2 = w1 + k, w3 = w2 + k;
        float* s1 = scales + blocks, s2 = s1 + blocks, s3 = s2 + blocks;
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
        for (int b = 0; b < blocks; b++)
        {
            var xv = Vector256.Load(qx + b * 32);
            PrefetchSpan(ahead, b * 128, 128); // 4 rows × 32 bytes per block
            float d = dx[b];
            int at = b * 32;
            c0 = BlockProduct(xv, w + at, scales[b] * d, c0);
            c1 = BlockProduct(xv, w1 + at, s1[b] * d, c1);
            c2 = BlockProduct(xv, w2 + at, s2[b] * d, c2);
            c3 = BlockProduct(xv, w3 + at, s3[b] * d, c3);
        }
        result[0] = Vector256.Sum(c0); result[1] = Vector256.Sum(c1); result[2] = Vector256.Sum(c2); result[3] = Vector256.Sum(c3);
    }

    /// <summary>result[a·4 + b] = x row a · w row b for a &lt; xRows ≤ 4, b &lt; wRows ≤ 4; rows are K long and contiguous.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    internal static void Dots(float* x, int xRows, float* w, int wRows, int k, float* result, byte* ahead = null, int aheadStep = 0)
    {
        if (!Vector512.IsHardwareAccelerated)
        {
            for (int a = 0; a < xRows; a++)
                for (int b = 0; b < wRows; b++) result[a * 4 + b] = ScalarDot(x + (long)a * k, w + (long)b * k, k);
            return;
        }
        if (xRows == 4 && wRows == 4) { Dot4x4(x, w, k, result, ahead, aheadStep); return; }
        for (int a = 0; a < xRows; a++)
        {
            float* xa = x + (long)a * k;
            DotRows<F32Row>(xa, xa, (byte*)w, null, wRows, k, 0, result + a * 4, a == 0 ? ahead : null, aheadStep);
        }
    }

    /// <summary>The scalar twin, used where Vector512 is not accelerated and as the tests' oracle.</summary>
    internal static float ScalarDot(float* x, float* w, int k)
    {
        float s = 0;
        for (int i = 0; i < k; i++) s += x[i] * w[i];
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(Vector512<float> acc, float* x, float* w, int from, int k)
    {
        float s = Vector512.Sum(acc);
        for (int i = from; i < k; i++) s += x[i] * w[i];
        return s;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void Dot4x4(float* x, float* w, int k, float* result, byte* ahead, int aheadStep)
    {
        float* x1 = x + k, x2 = x1 + k, x3 = x2 + k;
        float* w1 = w + k, w2 = w1 + k, w3 = w2 + k;
        Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
        Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
        Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
        Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
        int i = 0;
        for (; i <= k - 16; i += 16)
        {
            PrefetchSpan(ahead, (long)(i >> 4) * aheadStep, aheadStep);
            var b0 = Vector512.Load(w + i);
            var b1 = Vector512.Load(w1 + i);
            var b2 = Vector512.Load(w2 + i);
            var b3 = Vector512.Load(w3 + i);
            var a = Vector512.Load(x + i);
            c00 = Vector512.FusedMultiplyAdd(a, b0, c00); c01 = Vector512.FusedMultiplyAdd(a, b1, c01);
            c02 = Vector512.FusedMultiplyAdd(a, b2, c02); c03 = Vector512.FusedMultiplyAdd(a, b3, c03);
            a = Vector512.Load(x1 + i);
            c10 = Vector512.FusedMultiplyAdd(a, b0, c10); c11 = Vector512.FusedMultiplyAdd(a, b1, c11);
            c12 = Vector512.FusedMultiplyAdd(a, b2, c12); c13 = Vector512.FusedMultiplyAdd(a, b3, c13);
            a = Vector512.Load(x2 + i);
            c20 = Vector512.FusedMultiplyAdd(a, b0, c20); c21 = Vector512.FusedMultiplyAdd(a, b1, c21);
            c22 = Vector512.FusedMultiplyAdd(a, b2, c22); c23 = Vector512.FusedMultiplyAdd(a, b3, c23);
            a = Vector512.Load(x3 + i);
            c30 = Vector512.FusedMultiplyAdd(a, b0, c30); c31 = Vector512.FusedMultiplyAdd(a, b1, c31);
            c32 = Vector512.FusedMultiplyAdd(a, b2, c32); c33 = Vector512.FusedMultiplyAdd(a, b3, c33);
        }
        result[0] = Finish(c00, x, w, i, k); result[1] = Finish(c01, x, w1, i, k);
        result[2] = Finish(c02, x, w2, i, k); result[3] = Finish(c03, x, w3, i, k);
        result[4] = Finish(c10, x1, w, i, k); result[5] = Finish(c11, x1, w1, i, k);
        result[6] = Finish(c12, x1, w2, i, k); result[7] = Finish(c13, x1, w3, i, k);
        result[8] = Finish(c20, x2, w, i, k); result[9] = Finish(c21, x2, w1, i, k);
        result[10] = Finish(c22, x2, w2, i, k); result[11] = Finish(c23, x2, w3, i, k);
        result[12] = Finish(c30, x3, w, i, k); result[13] = Finish(c31, x3, w1, i, k);
        result[14] = Finish(c32, x3, w2, i, k); result[15] = Finish(c33, x3, w3, i, k);
    }
}
