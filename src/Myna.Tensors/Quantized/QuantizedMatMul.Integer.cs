using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Myna.Tensors.Quantized;

/// <summary>
/// The integer path of <see cref="QuantizedMatMul"/> for q8 weights with whole 32-value blocks, as llama.cpp's q8_0
/// dot product does it: each row of X is quantised to q8 blocks
/// (<see cref="QuantizeActivations"/>), and each block of X meets each block of W as an exact int32 byte dot product.
/// </summary>
/// <remarks>
/// The rule every integer kernel follows, in every tier: output = Σ over the blocks b, in order, of
/// (float)(Σ qw·qx over block b) · (dw_b·dx_b), accumulated from zero with one fused multiply-add per block (the portable
/// tier multiplies and adds separately where the CPU has no FMA). The integer sums are exact, whatever order or
/// instructions compute them, and the floating-point steps are the same, so the outputs do not depend on M, on which
/// kernel ran (this one, or the VNNI 8×8 blocks of QuantizedMatMul.BatchedInteger.cs) or on the x86 tier.
/// <para>
/// The byte products. AVX2 (<c>vpmaddubsw</c>) multiplies unsigned by signed bytes and adds adjacent pairs into
/// saturating int16: X enters as |qx| and W as qw with qx's sign (<c>vpsignb</c>), the products are the same, and since
/// both quantisers give |q| ≤ 127 a pair sum is at most 2·127·127 = 32258 &lt; 32767, so it never saturates;
/// <c>vpmaddwd</c> with ones then adds the pairs into int32. With AVX-VNNI one <c>vpdpbusd</c> does both steps. The
/// portable tier does the same at 128 bits with SSSE3 on x64 and with SDOT (or widening multiplies) on Arm64, and
/// elsewhere widens to int16 and multiplies (|qw·qx| ≤ 16129, two added ≤ 32258), then widens to int32.
/// </para>
/// <para>
/// The AVX-512 tier runs the same 256-bit byte instructions (it requires AVX2): AVX-512BW has no <c>vpsignb</c>, so a
/// 512-bit form needs a compare and a masked negate per row where AVX2 needs one instruction, and Zen 4 executes
/// 512-bit integer operations as two 256-bit halves anyway; one to three rows stream W from memory, so the narrower
/// arithmetic keeps up. (.NET 10 exposes VNNI only as the 256-bit <see cref="AvxVnni"/>, which Zen 4 lacks.)
/// </para>
/// </remarks>
public static unsafe partial class QuantizedMatMul
{
    [ThreadStatic] private static float[]? t_rowScales;

    /// <summary>
    /// Quantises rows of 32-value blocks to q8 (d = max|x| / 127, q = x/d rounded to nearest even), the activation side
    /// of the integer path. Vector128 only, so every tier (and Arm64) quantises to the same bytes.
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
                Vector128<float> m = Vector128.Abs(Vector128.Load(xb));
                for (int t = 4; t < 32; t += 4) m = Vector128.Max(m, Vector128.Abs(Vector128.Load(xb + t)));
                float max = MathF.Max(MathF.Max(m.GetElement(0), m.GetElement(1)), MathF.Max(m.GetElement(2), m.GetElement(3)));
                float d = max / 127f, inverse = d != 0 ? 1f / d : 0f;
                ps[b] = d;
                var scale = Vector128.Create(inverse);
                for (int t = 0; t < 32; t += 16)
                {
                    // |x·(1/d)| ≤ 127 (plus rounding), so the narrowing conversions never wrap.
                    Vector128<int> i0 = Vector128.ConvertToInt32(Vector128.Round(Vector128.Load(xb + t) * scale));
                    Vector128<int> i1 = Vector128.ConvertToInt32(Vector128.Round(Vector128.Load(xb + t + 4) * scale));
                    Vector128<int> i2 = Vector128.ConvertToInt32(Vector128.Round(Vector128.Load(xb + t + 8) * scale));
                    Vector128<int> i3 = Vector128.ConvertToInt32(Vector128.Round(Vector128.Load(xb + t + 12) * scale));
                    Vector128.Narrow(Vector128.Narrow(i0, i1), Vector128.Narrow(i2, i3)).Store(pq + b * 32 + t);
                }
            }
        }
    }

    /// <summary>Rows [start, end) of Y for all M rows of quantised X: four W rows at a time, each against every row of X.</summary>
    private static void RunInteger(SimdTier tier, QuantizedMatrix w, sbyte* qx, float* dx, float* y, float* bias, int m, int start, int end, bool accumulate)
    {
        if (tier == SimdTier.Portable) RunInteger<PortableQ8Sums>(w, qx, dx, y, bias, m, start, end, accumulate);
        else if (AvxVnni.IsSupported) RunInteger<VnniQ8Sums>(w, qx, dx, y, bias, m, start, end, accumulate);
        else RunInteger<Avx2Q8Sums>(w, qx, dx, y, bias, m, start, end, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void RunInteger<TSums>(QuantizedMatrix w, sbyte* qx, float* dx, float* y, float* bias, int m, int start, int end, bool accumulate)
        where TSums : struct, IQ8BlockSums
    {
        int n = w.Rows, k = w.Columns, blocks = k / QuantizedMatrix.BlockSize;
        float[] rowScales = t_rowScales is { } buffer && buffer.Length >= 4 * blocks ? buffer : t_rowScales = new float[4 * blocks];
        float* outputs = stackalloc float[4];
        fixed (sbyte* values = w.Q8Values)
        fixed (float* scales = w.Q8Scales)
        fixed (float* scale4 = rowScales)
        {
            for (int j = start; j < end; j += 4)
            {
                // Rows past the end repeat the last one; their outputs are dropped.
                int count = Math.Min(4, end - j);
                sbyte* w0 = values + (long)j * k;
                sbyte* w1 = w0 + Math.Min(1, count - 1) * (long)k, w2 = w0 + Math.Min(2, count - 1) * (long)k, w3 = w0 + Math.Min(3, count - 1) * (long)k;
                for (int b = 0; b < blocks; b++)
                    for (int r = 0; r < 4; r++) scale4[4 * b + r] = scales[(long)(j + Math.Min(r, count - 1)) * blocks + b];
                // The next four rows, fetched while the first row of X passes over these (they stay in L1 for the rest).
                byte* ahead = j + 8 <= end ? (byte*)(values + (long)(j + 4) * k) : null;
                for (int a = 0; a < m; a++)
                {
                    sbyte* xa = qx + (long)a * k;
                    float* da = dx + (long)a * blocks;
                    var acc = Vector128<float>.Zero; // the four outputs
                    for (int b = 0; b < blocks; b++)
                    {
                        if (a == 0 && ahead != null)
                        {
                            TSums.Prefetch(ahead + b * 128); // 4 rows × 32 bytes per block
                            TSums.Prefetch(ahead + b * 128 + 64);
                        }
                        int at = b * QuantizedMatrix.BlockSize;
                        Vector128<int> sums = TSums.Sums4(xa + at, w0 + at, w1 + at, w2 + at, w3 + at);
                        acc = TSums.MultiplyAdd(Vector128.ConvertToSingle(sums), Vector128.Load(scale4 + 4 * b) * Vector128.Create(da[b]), acc);
                    }
                    acc.Store(outputs);
                    float* y0 = y + (long)a * n + j;
                    for (int r = 0; r < count; r++)
                    {
                        float v = outputs[r];
                        if (bias != null) v += bias[j + r];
                        y0[r] = accumulate ? y0[r] + v : v;
                    }
                }
            }
        }
    }

    /// <summary>One tier's exact byte dot products of one 32-value block of X with the same block of four W rows.</summary>
    internal interface IQ8BlockSums
    {
        /// <summary>[Σ x·w0, Σ x·w1, Σ x·w2, Σ x·w3] over 32 signed bytes each, exactly.</summary>
        static abstract Vector128<int> Sums4(sbyte* x, sbyte* w0, sbyte* w1, sbyte* w2, sbyte* w3);

        static abstract Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c);

        static abstract void Prefetch(byte* address);
    }

    /// <summary>AVX2 (and the AVX-512 tier without AVX-VNNI): <c>vpsignb</c>, <c>vpmaddubsw</c>, <c>vpmaddwd</c>, then two horizontal adds.</summary>
    private readonly struct Avx2Q8Sums : IQ8BlockSums
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<int> Sums4(sbyte* x, sbyte* w0, sbyte* w1, sbyte* w2, sbyte* w3)
        {
            var xv = Vector256.Load(x);
            Vector256<byte> magnitude = Avx2.Abs(xv);
            var ones = Vector256.Create((short)1);
            var q0 = Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, Avx2.Sign(Vector256.Load(w0), xv)), ones);
            var q1 = Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, Avx2.Sign(Vector256.Load(w1), xv)), ones);
            var q2 = Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, Avx2.Sign(Vector256.Load(w2), xv)), ones);
            var q3 = Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, Avx2.Sign(Vector256.Load(w3), xv)), ones);
            return Reduce(q0, q1, q2, q3);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Fma.MultiplyAdd(a, b, c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Prefetch(byte* address) => Sse.Prefetch0(address);
    }

    /// <summary>AVX-VNNI: one <c>vpdpbusd</c> per row does the byte products and their sums to int32.</summary>
    private readonly struct VnniQ8Sums : IQ8BlockSums
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<int> Sums4(sbyte* x, sbyte* w0, sbyte* w1, sbyte* w2, sbyte* w3)
        {
            var xv = Vector256.Load(x);
            Vector256<byte> magnitude = Avx2.Abs(xv);
            var q0 = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, magnitude, Avx2.Sign(Vector256.Load(w0), xv));
            var q1 = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, magnitude, Avx2.Sign(Vector256.Load(w1), xv));
            var q2 = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, magnitude, Avx2.Sign(Vector256.Load(w2), xv));
            var q3 = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, magnitude, Avx2.Sign(Vector256.Load(w3), xv));
            return Reduce(q0, q1, q2, q3);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Fma.MultiplyAdd(a, b, c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Prefetch(byte* address) => Sse.Prefetch0(address);
    }

    /// <summary>[Σ q0, Σ q1, Σ q2, Σ q3] of four int32 vectors (exact, so any order will do).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Reduce(Vector256<int> q0, Vector256<int> q1, Vector256<int> q2, Vector256<int> q3)
    {
        var quads = Avx2.HorizontalAdd(Avx2.HorizontalAdd(q0, q1), Avx2.HorizontalAdd(q2, q3));
        return quads.GetLower() + quads.GetUpper();
    }

    /// <summary>
    /// The portable tier, 128 bits wide: on x64 SSSE3's byte products (<c>pmaddubsw</c>, <c>pmaddwd</c>, with the same
    /// sign trick as AVX2, and <c>phaddd</c> for the four sums); on Arm64 SDOT where the CPU has the dot-product
    /// extension, else widening multiplies and pairwise widening adds; elsewhere widening multiplies through the
    /// cross-platform Vector128 API. Every form gives the same exact int32 sums.
    /// </summary>
    internal readonly struct PortableQ8Sums : IQ8BlockSums
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<int> Sums4(sbyte* x, sbyte* w0, sbyte* w1, sbyte* w2, sbyte* w3)
        {
            if (Ssse3.IsSupported) return Ssse3Sums4(x, w0, w1, w2, w3);
            if (AdvSimd.Arm64.IsSupported) return NeonSums4(x, w0, w1, w2, w3);
            return WideningSums4(x, w0, w1, w2, w3);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector128<int> Ssse3Sums4(sbyte* x, sbyte* w0, sbyte* w1, sbyte* w2, sbyte* w3)
        {
            Vector128<sbyte> low = Vector128.Load(x), high = Vector128.Load(x + 16);
            Vector128<byte> lowMagnitude = Ssse3.Abs(low), highMagnitude = Ssse3.Abs(high);
            var q0 = Ssse3RowSums(low, high, lowMagnitude, highMagnitude, w0);
            var q1 = Ssse3RowSums(low, high, lowMagnitude, highMagnitude, w1);
            var q2 = Ssse3RowSums(low, high, lowMagnitude, highMagnitude, w2);
            var q3 = Ssse3RowSums(low, high, lowMagnitude, highMagnitude, w3);
            return Ssse3.HorizontalAdd(Ssse3.HorizontalAdd(q0, q1), Ssse3.HorizontalAdd(q2, q3));
        }

        /// <summary>Four int32 partial sums of one W row's block against X (|x| unsigned, w with x's sign: pair sums ≤ 32258, exact).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<int> Ssse3RowSums(Vector128<sbyte> low, Vector128<sbyte> high, Vector128<byte> lowMagnitude, Vector128<byte> highMagnitude, sbyte* w)
        {
            var ones = Vector128.Create((short)1);
            var p0 = Sse2.MultiplyAddAdjacent(Ssse3.MultiplyAddAdjacent(lowMagnitude, Ssse3.Sign(Vector128.Load(w), low)), ones);
            var p1 = Sse2.MultiplyAddAdjacent(Ssse3.MultiplyAddAdjacent(highMagnitude, Ssse3.Sign(Vector128.Load(w + 16), high)), ones);
            return p0 + p1;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector128<int> NeonSums4(sbyte* x, sbyte* w0, sbyte* w1, sbyte* w2, sbyte* w3)
        {
            Vector128<sbyte> low = Vector128.Load(x), high = Vector128.Load(x + 16);
            var q0 = NeonRowSums(low, high, w0);
            var q1 = NeonRowSums(low, high, w1);
            var q2 = NeonRowSums(low, high, w2);
            var q3 = NeonRowSums(low, high, w3);
            return AdvSimd.Arm64.AddPairwise(AdvSimd.Arm64.AddPairwise(q0, q1), AdvSimd.Arm64.AddPairwise(q2, q3));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector128<int> NeonRowSums(Vector128<sbyte> low, Vector128<sbyte> high, sbyte* w)
        {
            Vector128<sbyte> wLow = Vector128.Load(w), wHigh = Vector128.Load(w + 16);
            if (Dp.IsSupported) return Dp.DotProduct(Dp.DotProduct(Vector128<int>.Zero, low, wLow), high, wHigh);
            // Each product is at most 127·127 in int16; SADALP adds them in pairs into the int32 lanes.
            var sums = AdvSimd.AddPairwiseWidening(AdvSimd.MultiplyWideningLower(low.GetLower(), wLow.GetLower()));
            sums = AdvSimd.AddPairwiseWideningAndAdd(sums, AdvSimd.MultiplyWideningUpper(low, wLow));
            sums = AdvSimd.AddPairwiseWideningAndAdd(sums, AdvSimd.MultiplyWideningLower(high.GetLower(), wHigh.GetLower()));
            return AdvSimd.AddPairwiseWideningAndAdd(sums, AdvSimd.MultiplyWideningUpper(high, wHigh));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        internal static Vector128<int> WideningSums4(sbyte* x, sbyte* w0, sbyte* w1, sbyte* w2, sbyte* w3)
        {
            Vector128<sbyte> low = Vector128.Load(x), high = Vector128.Load(x + 16);
            Vector128<short> x0 = Vector128.WidenLower(low), x1 = Vector128.WidenUpper(low), x2 = Vector128.WidenLower(high), x3 = Vector128.WidenUpper(high);
            return Vector128.Create(RowSum(x0, x1, x2, x3, w0), RowSum(x0, x1, x2, x3, w1), RowSum(x0, x1, x2, x3, w2), RowSum(x0, x1, x2, x3, w3));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int RowSum(Vector128<short> x0, Vector128<short> x1, Vector128<short> x2, Vector128<short> x3, sbyte* w)
        {
            Vector128<sbyte> low = Vector128.Load(w), high = Vector128.Load(w + 16);
            // Each product is at most 127·127 and two of them 32258, so these int16 sums are exact.
            Vector128<short> p01 = x0 * Vector128.WidenLower(low) + x1 * Vector128.WidenUpper(low);
            Vector128<short> p23 = x2 * Vector128.WidenLower(high) + x3 * Vector128.WidenUpper(high);
            return Vector128.Sum((Vector128.WidenLower(p01) + Vector128.WidenUpper(p01)) + (Vector128.WidenLower(p23) + Vector128.WidenUpper(p23)));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Prefetch(byte* address)
        {
            if (Sse.IsSupported) Sse.Prefetch0(address);
        }
    }
}
