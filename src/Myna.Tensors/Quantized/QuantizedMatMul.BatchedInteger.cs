using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Myna.Tensors.Quantized;

/// <summary>
/// The many-row integer path for q8 weights (batched decoding and prefill, AVX2 or AVX-VNNI): X is quantised to q8
/// blocks as on the one-row integer path, and 8 rows of X meet 8 rows of W in byte dot products. One block (32 values) of 8 W rows
/// is loaded and transposed so that each register holds the same 4 weights of all 8 rows; 4 bytes of one X row
/// broadcast then advance 8 outputs at once. The block's 8 int32 sums per X row are exact; they are scaled once by both
/// blocks' scales and accumulated in f32, 8 outputs to a register, so no horizontal sums are needed.
/// </summary>
/// <remarks>
/// Both byte instructions multiply unsigned by signed bytes. With AVX-VNNI (<see cref="VnniQuads"/>) X enters as
/// q + 128 and each block's result is corrected by 128·Σw. With AVX2 alone (<see cref="SignedQuads"/>) X enters as |q|
/// and W takes q's sign (<c>vpsignb</c>), so <c>vpmaddubsw</c>'s int16 pair sums stay within 2·127·127 and never
/// saturate, and <c>vpmaddwd</c> with ones adds the pairs into int32.
/// Each output follows the integer path's rule (QuantizedMatMul.Integer.cs): the exact int32 sum of each block, times
/// dw·dx, added over the blocks in order by one fused multiply-add each, so it is bit-identical with the other integer
/// kernels whatever the number of rows or threads.
/// </remarks>
public static unsafe partial class QuantizedMatMul
{
    private const int VnniRows = 8; // rows of X and of W per block

    [ThreadStatic] private static uint[]? t_packedQuantized;

    /// <summary>
    /// Whether four or more rows (batched decoding and prefill) take an integer kernel: the 8×8 blocks with AVX2 (byte
    /// products beat the 4×3 f32 kernel) or AVX-VNNI; on the portable tier the four-row byte dot products of the one-row
    /// path, where the CPU has 128-bit byte products (SSSE3 on x64, SDOT on Arm64). Measured on a Zen 5, GPT-2 124M q8,
    /// against the f32 kernels over W expanded in registers or tiles: AVX2 tier prefill of 128 tokens 811 → 1,418
    /// tokens/s; with AVX2 off, prefill 249 → 544 and batch-8 decode 178 → 322.
    /// </summary>
    private static bool UsesIntegerBlocks(SimdTier tier) => tier == SimdTier.Portable
        ? Ssse3.IsSupported || Dp.IsSupported
        : tier == SimdTier.Avx2 || AvxVnni.IsSupported;

    /// <summary>Whether the integer path's four or more rows run the 8×8 blocks, whose X is packed first (the x86 tiers; the portable one reads X's rows as they are).</summary>
    private static bool PacksQuantizedRows(SimdTier tier, int m) => m >= FusedRowLimit && tier != SimdTier.Portable;

    /// <summary>
    /// Packs quantised X for the batched integer kernel: for each group of 8 rows, for each 4-value group g of K, the
    /// 8 rows' 4 bytes side by side, as <typeparamref name="TQuads"/> wants them — (⌈M/8⌉, K/4, Stride) uint32; missing
    /// rows are q = 0.
    /// </summary>
    private static uint[] PackQuantizedRows<TQuads>(sbyte* qx, int m, int k)
        where TQuads : struct, IQuadProducts
    {
        int groups = (m + VnniRows - 1) / VnniRows, quads = k / 4, stride = TQuads.Stride;
        int length = groups * quads * stride;
        uint[] packed = t_packedQuantized is { } p && p.Length >= length ? p : t_packedQuantized = new uint[length];
        fixed (uint* destination = packed)
        {
            for (int a = 0; a < groups * VnniRows; a++)
            {
                uint* column = destination + (long)(a / VnniRows) * quads * stride + a % VnniRows;
                uint* row = a < m ? (uint*)(qx + (long)a * k) : null;
                for (int g = 0; g < quads; g++) TQuads.Pack(row == null ? 0u : row[g], column + (long)g * stride);
            }
        }
        return packed;
    }

    /// <summary>How one X row's broadcast quads meet the 8 transposed W rows of a block: the exact int32 sums, 8 rows at once.</summary>
    private interface IQuadProducts
    {
        /// <summary>uint32 per quad position in the packed X (8 rows, and any companion values).</summary>
        static abstract int Stride { get; }

        /// <summary>Writes one row's quad q (4 signed bytes) at <paramref name="slot"/> (and its companions 8 further on).</summary>
        static abstract void Pack(uint q, uint* slot);

        /// <summary>What comes off every X row's sums for this block of W (zero unless X carries an offset).</summary>
        static abstract Vector256<int> Correction(Vector256<sbyte> g0, Vector256<sbyte> g1, Vector256<sbyte> g2, Vector256<sbyte> g3, Vector256<sbyte> g4, Vector256<sbyte> g5, Vector256<sbyte> g6, Vector256<sbyte> g7);

        /// <summary>Σ over the block's 8 quads of X row · W rows 0..7 (before the correction).</summary>
        static abstract Vector256<int> Sums(uint* q, Vector256<sbyte> g0, Vector256<sbyte> g1, Vector256<sbyte> g2, Vector256<sbyte> g3, Vector256<sbyte> g4, Vector256<sbyte> g5, Vector256<sbyte> g6, Vector256<sbyte> g7);
    }

    /// <summary>AVX-VNNI: X as q + 128 (unsigned), one VPDPBUSD per quad; 128·Σw comes off.</summary>
    private readonly struct VnniQuads : IQuadProducts
    {
        public static int Stride => VnniRows;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Pack(uint q, uint* slot) => *slot = q ^ 0x8080_8080u; // q + 128 per byte

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<int> Correction(Vector256<sbyte> g0, Vector256<sbyte> g1, Vector256<sbyte> g2, Vector256<sbyte> g3, Vector256<sbyte> g4, Vector256<sbyte> g5, Vector256<sbyte> g6, Vector256<sbyte> g7)
        {
            // Integer sums are exact, so they are split into short independent chains: VPDPBUSD's latency, not its
            // throughput, bounds a long one.
            var ones = Vector256.Create((byte)1);
            var sumA = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, ones, g0);
            var sumB = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, ones, g1);
            var sumC = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, ones, g2);
            var sumD = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, ones, g3);
            sumA = AvxVnni.MultiplyWideningAndAdd(sumA, ones, g4); sumB = AvxVnni.MultiplyWideningAndAdd(sumB, ones, g5);
            sumC = AvxVnni.MultiplyWideningAndAdd(sumC, ones, g6); sumD = AvxVnni.MultiplyWideningAndAdd(sumD, ones, g7);
            return ((sumA + sumB) + (sumC + sumD)) << 7;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<int> Sums(uint* q, Vector256<sbyte> g0, Vector256<sbyte> g1, Vector256<sbyte> g2, Vector256<sbyte> g3, Vector256<sbyte> g4, Vector256<sbyte> g5, Vector256<sbyte> g6, Vector256<sbyte> g7)
        {
            var even = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, Vector256.Create(q[0]).AsByte(), g0);
            var odd = AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, Vector256.Create(q[VnniRows]).AsByte(), g1);
            even = AvxVnni.MultiplyWideningAndAdd(even, Vector256.Create(q[2 * VnniRows]).AsByte(), g2);
            odd = AvxVnni.MultiplyWideningAndAdd(odd, Vector256.Create(q[3 * VnniRows]).AsByte(), g3);
            even = AvxVnni.MultiplyWideningAndAdd(even, Vector256.Create(q[4 * VnniRows]).AsByte(), g4);
            odd = AvxVnni.MultiplyWideningAndAdd(odd, Vector256.Create(q[5 * VnniRows]).AsByte(), g5);
            even = AvxVnni.MultiplyWideningAndAdd(even, Vector256.Create(q[6 * VnniRows]).AsByte(), g6);
            odd = AvxVnni.MultiplyWideningAndAdd(odd, Vector256.Create(q[7 * VnniRows]).AsByte(), g7);
            return even + odd;
        }
    }

    /// <summary>
    /// AVX2: each quad packed twice, as q and as |q| (8 slots further on); per quad <c>vpsignb</c> gives W q's sign,
    /// <c>vpmaddubsw</c> multiplies by |q| into int16 pairs (at most 2·127·127, so exact), <c>vpmaddwd</c> with ones
    /// widens them to int32.
    /// </summary>
    private readonly struct SignedQuads : IQuadProducts
    {
        public static int Stride => 2 * VnniRows;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static void Pack(uint q, uint* slot)
        {
            *slot = q;
            slot[VnniRows] = Vector128.Abs(Vector128.CreateScalar(q).AsSByte()).AsUInt32().ToScalar();
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<int> Correction(Vector256<sbyte> g0, Vector256<sbyte> g1, Vector256<sbyte> g2, Vector256<sbyte> g3, Vector256<sbyte> g4, Vector256<sbyte> g5, Vector256<sbyte> g6, Vector256<sbyte> g7) =>
            Vector256<int>.Zero;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector256<int> Quad(uint* q, Vector256<sbyte> g)
        {
            Vector256<sbyte> x = Vector256.Create(q[0]).AsSByte();
            Vector256<byte> magnitude = Vector256.Create(q[VnniRows]).AsByte();
            return Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitude, Avx2.Sign(g, x)), Vector256.Create((short)1));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<int> Sums(uint* q, Vector256<sbyte> g0, Vector256<sbyte> g1, Vector256<sbyte> g2, Vector256<sbyte> g3, Vector256<sbyte> g4, Vector256<sbyte> g5, Vector256<sbyte> g6, Vector256<sbyte> g7) =>
            ((Quad(q, g0) + Quad(q + Stride, g1)) + (Quad(q + 2 * Stride, g2) + Quad(q + 3 * Stride, g3)))
            + ((Quad(q + 4 * Stride, g4) + Quad(q + 5 * Stride, g5)) + (Quad(q + 6 * Stride, g6) + Quad(q + 7 * Stride, g7)));
    }

    /// <summary>Rows [start, end) of Y for all M rows of X on the integer path.</summary>
    /// <remarks>
    /// One group of 8 X rows (decoding) transposes each block of W as it streams past. With more groups (prefill) the
    /// first group also keeps the transposed blocks of its 8 W rows in a per-thread buffer (<see cref="TransposedBlock"/>,
    /// 320 bytes a block: 30 KiB at K = 3072) and the other groups read them, instead of transposing each block once per
    /// group, a quarter of the work. The registers are the same either way, so are the results.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void RunBatchedInteger<TQuads>(QuantizedMatrix w, uint* packedX, float* dx, float* y, float* bias, int m, int start, int end, bool accumulate)
        where TQuads : struct, IQuadProducts
    {
        int n = w.Rows, k = w.Columns, blocks = k / QuantizedMatrix.BlockSize, quads = k / 4;
        float* outputs = stackalloc float[VnniRows * VnniRows];
        TransposedBlock[]? keep = m <= VnniRows ? null
            : t_transposedBlocks is { } buffer && buffer.Length >= blocks ? buffer : t_transposedBlocks = new TransposedBlock[blocks];
        fixed (sbyte* values = w.Q8Values)
        fixed (float* scales = w.Q8Scales)
        fixed (TransposedBlock* transposed = keep)
        {
            for (int n0 = start; n0 < end; n0 += VnniRows)
            {
                int count = Math.Min(VnniRows, end - n0);
                byte* ahead = n0 + 3 * VnniRows <= end ? (byte*)(values + (long)(n0 + 2 * VnniRows) * k) : null;
                for (int g = 0; g < m; g += VnniRows)
                {
                    int rows = Math.Min(VnniRows, m - g);
                    sbyte* w0 = values + (long)n0 * k;
                    float* s0 = scales + (long)n0 * blocks;
                    uint* xg = packedX + (long)(g / VnniRows) * quads * TQuads.Stride;
                    float* dg = dx + (long)g * blocks;
                    if (transposed == null) Block8x8<TQuads, TransposesBlocks>(w0, count, k, s0, blocks, xg, dg, rows, outputs, ahead, null);
                    else if (g == 0) Block8x8<TQuads, TransposesAndKeepsBlocks>(w0, count, k, s0, blocks, xg, dg, rows, outputs, ahead, transposed);
                    else Block8x8<TQuads, ReadsKeptBlocks>(w0, count, k, s0, blocks, xg, dg, rows, outputs, null, transposed);
                    for (int a = 0; a < rows; a++)
                    {
                        float* y0 = y + (long)(g + a) * n + n0;
                        float* o = outputs + a * VnniRows;
                        for (int b = 0; b < count; b++)
                        {
                            float r = o[b];
                            if (bias != null) r += bias[n0 + b];
                            y0[b] = accumulate ? y0[b] + r : r;
                        }
                    }
                }
            }
        }
    }

    [ThreadStatic] private static TransposedBlock[]? t_transposedBlocks;

    /// <summary>One block of 8 W rows as <see cref="Block8x8"/> uses it: the transposed weights, what comes off X's sums, the rows' scales.</summary>
    private struct TransposedBlock
    {
        public Vector256<sbyte> G0, G1, G2, G3, G4, G5, G6, G7;
        public Vector256<int> Correction;
        public Vector256<float> RowScales;
    }

    /// <summary>How <see cref="Block8x8"/> gets each block of W: transposed from memory, kept too, or read back (one static choice per instantiation, so the JIT drops the other branches).</summary>
    private interface IBlockSource
    {
        static abstract bool Transposes { get; }

        static abstract bool Keeps { get; }
    }

    private readonly struct TransposesBlocks : IBlockSource
    {
        public static bool Transposes => true;

        public static bool Keeps => false;
    }

    private readonly struct TransposesAndKeepsBlocks : IBlockSource
    {
        public static bool Transposes => true;

        public static bool Keeps => true;
    }

    private readonly struct ReadsKeptBlocks : IBlockSource
    {
        public static bool Transposes => false;

        public static bool Keeps => false;
    }

    /// <summary>
    /// outputs[a·8 + t] = X row a · W row t for up to 8 rows of W (<paramref name="wRows"/>; missing rows repeat the
    /// last, and their outputs are ignored) and the 8 packed rows of X, of which <paramref name="xRows"/> are real.
    /// <typeparamref name="TSource"/> says whether each block of W is transposed here (and kept in
    /// <paramref name="kept"/>) or read back from <paramref name="kept"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    private static void Block8x8<TQuads, TSource>(sbyte* w, int wRows, int k, float* scales, int blocks, uint* x, float* dx, int xRows, float* outputs, byte* ahead,
        TransposedBlock* kept)
        where TQuads : struct, IQuadProducts
        where TSource : struct, IBlockSource
    {
        long s1 = Math.Min(1, wRows - 1) * (long)k, s2 = Math.Min(2, wRows - 1) * (long)k, s3 = Math.Min(3, wRows - 1) * (long)k;
        long s4 = Math.Min(4, wRows - 1) * (long)k, s5 = Math.Min(5, wRows - 1) * (long)k, s6 = Math.Min(6, wRows - 1) * (long)k, s7 = Math.Min(7, wRows - 1) * (long)k;
        long o1 = s1 / k * blocks, o2 = s2 / k * blocks, o3 = s3 / k * blocks, o4 = s4 / k * blocks, o5 = s5 / k * blocks, o6 = s6 / k * blocks, o7 = s7 / k * blocks;
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default;
        for (int b = 0; b < blocks; b++)
        {
            Vector256<sbyte> g0, g1, g2, g3, g4, g5, g6, g7;
            Vector256<int> correction;
            Vector256<float> rowScales;
            if (TSource.Transposes)
            {
                int at = b * QuantizedMatrix.BlockSize;
                if (ahead != null)
                {
                    Sse.Prefetch0(ahead + at); Sse.Prefetch0(ahead + s1 + at); Sse.Prefetch0(ahead + s2 + at); Sse.Prefetch0(ahead + s3 + at);
                    Sse.Prefetch0(ahead + s4 + at); Sse.Prefetch0(ahead + s5 + at); Sse.Prefetch0(ahead + s6 + at); Sse.Prefetch0(ahead + s7 + at);
                    Sse.Prefetch0((byte*)(scales + (long)(ahead - (byte*)w) / k * blocks) + at); // their scales, 8·K/32 floats, at the same pace
                }

                // Eight rows' block, transposed: register g holds weights 4g..4g+3 of rows 0..7.
                var r0 = Vector256.Load(w + at).AsInt32(); var r1 = Vector256.Load(w + s1 + at).AsInt32();
                var r2 = Vector256.Load(w + s2 + at).AsInt32(); var r3 = Vector256.Load(w + s3 + at).AsInt32();
                var r4 = Vector256.Load(w + s4 + at).AsInt32(); var r5 = Vector256.Load(w + s5 + at).AsInt32();
                var r6 = Vector256.Load(w + s6 + at).AsInt32(); var r7 = Vector256.Load(w + s7 + at).AsInt32();
                var t0 = Avx2.UnpackLow(r0, r1); var t1 = Avx2.UnpackHigh(r0, r1); var t2 = Avx2.UnpackLow(r2, r3); var t3 = Avx2.UnpackHigh(r2, r3);
                var t4 = Avx2.UnpackLow(r4, r5); var t5 = Avx2.UnpackHigh(r4, r5); var t6 = Avx2.UnpackLow(r6, r7); var t7 = Avx2.UnpackHigh(r6, r7);
                var u0 = Avx2.UnpackLow(t0.AsInt64(), t2.AsInt64()).AsInt32(); var u1 = Avx2.UnpackHigh(t0.AsInt64(), t2.AsInt64()).AsInt32();
                var u2 = Avx2.UnpackLow(t1.AsInt64(), t3.AsInt64()).AsInt32(); var u3 = Avx2.UnpackHigh(t1.AsInt64(), t3.AsInt64()).AsInt32();
                var u4 = Avx2.UnpackLow(t4.AsInt64(), t6.AsInt64()).AsInt32(); var u5 = Avx2.UnpackHigh(t4.AsInt64(), t6.AsInt64()).AsInt32();
                var u6 = Avx2.UnpackLow(t5.AsInt64(), t7.AsInt64()).AsInt32(); var u7 = Avx2.UnpackHigh(t5.AsInt64(), t7.AsInt64()).AsInt32();
                g0 = Avx2.Permute2x128(u0, u4, 0x20).AsSByte(); g4 = Avx2.Permute2x128(u0, u4, 0x31).AsSByte();
                g1 = Avx2.Permute2x128(u1, u5, 0x20).AsSByte(); g5 = Avx2.Permute2x128(u1, u5, 0x31).AsSByte();
                g2 = Avx2.Permute2x128(u2, u6, 0x20).AsSByte(); g6 = Avx2.Permute2x128(u2, u6, 0x31).AsSByte();
                g3 = Avx2.Permute2x128(u3, u7, 0x20).AsSByte(); g7 = Avx2.Permute2x128(u3, u7, 0x31).AsSByte();

                correction = TQuads.Correction(g0, g1, g2, g3, g4, g5, g6, g7);
                // The 8 rows' scales of this block (eight loads: on this CPU cheaper than a gather).
                float* sb = scales + b;
                rowScales = Vector256.Create(sb[0], sb[o1], sb[o2], sb[o3], sb[o4], sb[o5], sb[o6], sb[o7]);
                if (TSource.Keeps)
                {
                    TransposedBlock* keep = kept + b;
                    keep->G0 = g0; keep->G1 = g1; keep->G2 = g2; keep->G3 = g3; keep->G4 = g4; keep->G5 = g5; keep->G6 = g6; keep->G7 = g7;
                    keep->Correction = correction;
                    keep->RowScales = rowScales;
                }
            }
            else
            {
                TransposedBlock* block = kept + b;
                g0 = block->G0; g1 = block->G1; g2 = block->G2; g3 = block->G3; g4 = block->G4; g5 = block->G5; g6 = block->G6; g7 = block->G7;
                correction = block->Correction;
                rowScales = block->RowScales;
            }

            uint* xb = x + (long)b * 8 * TQuads.Stride; // this block's 8 quads of the 8 rows
            c0 = RowBlock<TQuads>(xb, 0, correction, g0, g1, g2, g3, g4, g5, g6, g7, rowScales * dx[b], c0);
            if (xRows > 1) c1 = RowBlock<TQuads>(xb, 1, correction, g0, g1, g2, g3, g4, g5, g6, g7, rowScales * dx[blocks + b], c1);
            if (xRows > 2) c2 = RowBlock<TQuads>(xb, 2, correction, g0, g1, g2, g3, g4, g5, g6, g7, rowScales * dx[2 * blocks + b], c2);
            if (xRows > 3) c3 = RowBlock<TQuads>(xb, 3, correction, g0, g1, g2, g3, g4, g5, g6, g7, rowScales * dx[3 * blocks + b], c3);
            if (xRows > 4) c4 = RowBlock<TQuads>(xb, 4, correction, g0, g1, g2, g3, g4, g5, g6, g7, rowScales * dx[4 * blocks + b], c4);
            if (xRows > 5) c5 = RowBlock<TQuads>(xb, 5, correction, g0, g1, g2, g3, g4, g5, g6, g7, rowScales * dx[5 * blocks + b], c5);
            if (xRows > 6) c6 = RowBlock<TQuads>(xb, 6, correction, g0, g1, g2, g3, g4, g5, g6, g7, rowScales * dx[6 * blocks + b], c6);
            if (xRows > 7) c7 = RowBlock<TQuads>(xb, 7, correction, g0, g1, g2, g3, g4, g5, g6, g7, rowScales * dx[7 * blocks + b], c7);
        }
        c0.Store(outputs); c1.Store(outputs + 8); c2.Store(outputs + 16); c3.Store(outputs + 24);
        c4.Store(outputs + 32); c5.Store(outputs + 40); c6.Store(outputs + 48); c7.Store(outputs + 56);
    }

    /// <summary>One X row's block against the 8 transposed W rows: the exact int32 dot products, scaled and accumulated.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> RowBlock<TQuads>(uint* xb, int row, Vector256<int> correction,
        Vector256<sbyte> g0, Vector256<sbyte> g1, Vector256<sbyte> g2, Vector256<sbyte> g3, Vector256<sbyte> g4, Vector256<sbyte> g5, Vector256<sbyte> g6, Vector256<sbyte> g7,
        Vector256<float> scale, Vector256<float> accumulator)
        where TQuads : struct, IQuadProducts =>
        Fma.MultiplyAdd(Avx.ConvertToVector256Single(TQuads.Sums(xb + row, g0, g1, g2, g3, g4, g5, g6, g7) - correction), scale, accumulator);
}
