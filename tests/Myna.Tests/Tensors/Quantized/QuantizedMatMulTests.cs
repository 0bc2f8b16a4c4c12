using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;
using FsCheck.Xunit;
using Myna.Models.Quantization;
using Myna.Tensors;
using Myna.Tensors.Quantized;

namespace Myna.Tests.Tensors.Quantized;

/// <summary>
/// Every test runs every tier this machine supports (<see cref="SimdTiers.Supported"/>), through the internal
/// <c>Multiply</c> overload that takes the tier.
/// </summary>
public class QuantizedMatMulTests
{
    private static double[] Reference(float[] x, QuantizedMatrix w, int m, float[]? bias, float[]? start)
    {
        int n = w.Rows, k = w.Columns;
        var y = new double[m * n];
        for (int j = 0; j < n; j++)
        {
            float[] row = w.DecodeRow(j);
            for (int i = 0; i < m; i++)
            {
                double s = 0;
                for (int p = 0; p < k; p++) s += (double)x[i * k + p] * row[p];
                y[i * n + j] = s + (bias?[j] ?? 0) + (start?[i * n + j] ?? 0);
            }
        }
        return y;
    }

    [Property(MaxTest = 30)]
    public void ProductMatchesTheDoubleReferenceOverDecodedWeights(int seed)
    {
        var rng = new Random(seed);
        // Sizes straddle the 3- and 4-row blocks, every tier's vector width, the 32-value q8 blocks and all three
        // row-count paths (1-3 fused, 4-16 batched, more than 16 tiles).
        int m = rng.Next(1, 41), n = rng.Next(1, 30), k = rng.Next(1, 100);
        var format = (WeightFormat)rng.Next(3);
        bool withBias = rng.Next(2) == 0, accumulate = rng.Next(2) == 0;
        float[] w = KernelTestData.Floats(rng, n * k), x = KernelTestData.Floats(rng, m * k), bias = KernelTestData.Floats(rng, n), start = KernelTestData.Floats(rng, m * n);
        var matrix = QuantizedMatrix.FromRows(w, n, k, format);
        foreach (SimdTier tier in SimdTiers.Supported)
        {
            double[] expected = Reference(EffectiveActivations(x, matrix, m, k, tier), matrix, m, withBias ? bias : null, accumulate ? start : null);
            float[] y = (float[])start.Clone();
            QuantizedMatMul.Multiply(x, matrix, y, m, tier, withBias ? bias : default, accumulate);
            KernelTestData.AssertClose(expected, y, 1e-5, 1e-4, $"{tier} {format} M={m} N={n} K={k}");
        }
    }

    [Property(MaxTest = 30)]
    public void StoredWeightsAreWithinTheFormatsRoundingOfTheOriginals(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 9), k = rng.Next(1, 100);
        float[] w = KernelTestData.Floats(rng, n * k, 3);
        var transposedSource = new float[k * n];
        for (int j = 0; j < n; j++) for (int p = 0; p < k; p++) transposedSource[p * n + j] = w[j * k + p];
        foreach (WeightFormat format in Enum.GetValues<WeightFormat>())
        {
            var matrix = QuantizedMatrix.FromRows(w, n, k, format);
            var fromColumns = QuantizedMatrix.FromColumns(transposedSource, n, k, format);
            for (int j = 0; j < n; j++)
            {
                float[] row = matrix.DecodeRow(j);
                Assert.Equal(row, fromColumns.DecodeRow(j));
                for (int p = 0; p < k; p++)
                {
                    float original = w[j * k + p];
                    int blockStart = p / 32 * 32;
                    double max = w.Skip(j * k + blockStart).Take(Math.Min(32, k - blockStart)).Max(v => Math.Abs(v));
                    double bound = format switch
                    {
                        WeightFormat.F32 => 0,
                        WeightFormat.F16 => Math.Abs(original) * Math.Pow(2, -11) + 1e-6,
                        _ => max / 127 * (0.5 + 127 * Math.Pow(2, -11)) + 1e-6,
                    };
                    Assert.True(Math.Abs(row[p] - original) <= bound, $"{format} [{j},{p}]: {row[p]} vs {original}");
                }
            }
        }
    }

    [Fact]
    public void Q8RowsDequantiseExactlyLikeGgufQ8Blocks()
    {
        var rng = new Random(3);
        const int n = 5, k = 96;
        float[] w = KernelTestData.Floats(rng, n * k, 2);
        var matrix = QuantizedMatrix.FromRows(w, n, k, WeightFormat.Q8);
        var blocks = new byte[Q8Blocks.ByteCount(k)];
        var expected = new float[k];
        for (int j = 0; j < n; j++)
        {
            Q8Blocks.Quantize(w.AsSpan(j * k, k), blocks);
            Q8Blocks.Dequantize(blocks, expected);
            Assert.Equal(expected, matrix.DecodeRow(j));
        }
    }

    /// <summary>
    /// The integer path's rule, computed one scalar step at a time: Σ over blocks, in order, of the exact int32 byte
    /// dot product times (dw·dx), accumulated by a fused multiply-add per block (separate multiply and add where the
    /// portable tier runs on a CPU without FMA).
    /// </summary>
    private static float[] IntegerRule(float[] x, QuantizedMatrix w, int m, float[]? bias, bool fused)
    {
        int n = w.Rows, k = w.Columns, blocks = k / 32;
        var q = new sbyte[m * k];
        var d = new float[m * blocks];
        QuantizedMatMul.QuantizeActivations(x.AsSpan(0, m * k), q, d);
        sbyte[] qw = w.Q8Values.ToArray();
        float[] dw = w.Q8Scales.ToArray();
        var y = new float[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float acc = 0;
                for (int b = 0; b < blocks; b++)
                {
                    int sum = 0;
                    for (int p = b * 32; p < b * 32 + 32; p++) sum += q[i * k + p] * qw[(long)j * k + p];
                    float scale = dw[j * blocks + b] * d[i * blocks + b];
                    acc = fused ? MathF.FusedMultiplyAdd(sum, scale, acc) : acc + sum * scale;
                }
                y[i * n + j] = acc + (bias?[j] ?? 0);
            }
        return y;
    }

    /// <summary>Whether <paramref name="tier"/>'s integer kernels fuse the per-block multiply-add on this CPU.</summary>
    private static bool FusesIntegerSteps(SimdTier tier) => tier != SimdTier.Portable || Fma.IsSupported || AdvSimd.Arm64.IsSupported;

    [Property(MaxTest = 20)]
    public void IntegerPathFollowsItsRuleBitForBitInEveryTier(int seed)
    {
        var rng = new Random(seed);
        // 1-40 rows (decode, batched decode, prefill), W row counts that leave partial groups of four and eight, up to
        // eight blocks per row.
        int m = rng.Next(1, 41), n = rng.Next(1, 30), k = 32 * rng.Next(1, 9);
        float[] w = KernelTestData.Floats(rng, n * k), x = KernelTestData.Floats(rng, m * k, 4), bias = KernelTestData.Floats(rng, n);
        var matrix = QuantizedMatrix.FromRows(w, n, k, WeightFormat.Q8);
        foreach (SimdTier tier in SimdTiers.Supported.Where(t => QuantizedMatMul.QuantizesActivations(matrix, m, t)))
        {
            double[] reference = Reference(EffectiveActivations(x, matrix, m, k, tier), matrix, m, bias, null);
            var y = new float[m * n];
            QuantizedMatMul.Multiply(x, matrix, y, m, tier, bias);
            Assert.Equal(IntegerRule(x, matrix, m, bias, FusesIntegerSteps(tier)), y);
            KernelTestData.AssertClose(reference, y, 1e-5, 1e-4, $"{tier} M={m} N={n} K={k}");
        }
    }

    public static TheoryData<int, int, int> SaturationPatterns() => new()
    {
        // (sign pattern of X, sign pattern of W, rows): every value ±127 after quantisation, so each byte pair sums to
        // ±32258, the most vpmaddubsw sees; alternating and mixed signs included.
        // (Four or more rows are on the integer path only in some tiers; the others are skipped there.)
        { 0, 0, 1 }, { 1, 1, 1 }, { 0, 1, 5 }, { 2, 2, 8 }, { 2, 3, 16 }, { 3, 0, 3 }, { 3, 2, 2 }, { 2, 1, 37 },
    };

    [Theory]
    [MemberData(nameof(SaturationPatterns))]
    public void IntegerPathIsExactAtTheExtremeBytes(int xPattern, int wPattern, int m)
    {
        const int n = 9, k = 96;
        static float Sign(int pattern, int index) => pattern switch
        {
            0 => 1,                                   // all +127
            1 => -1,                                  // all −127
            2 => index % 2 == 0 ? 1 : -1,             // alternating, so pairs mix signs
            _ => (index / 3 + index / 7) % 2 == 0 ? 1 : -1, // irregular
        };
        var w = new float[n * k];
        var x = new float[m * k];
        for (int i = 0; i < w.Length; i++) w[i] = Sign(wPattern, i + i / k);
        for (int i = 0; i < x.Length; i++) x[i] = 0.5f * Sign(xPattern, i);
        var matrix = QuantizedMatrix.FromRows(w, n, k, WeightFormat.Q8);
        Assert.All(matrix.Q8Values.ToArray(), q => Assert.Equal(127, Math.Abs((int)q)));
        var q8 = new sbyte[m * k];
        QuantizedMatMul.QuantizeActivations(x, q8, new float[m * k / 32]);
        Assert.All(q8, q => Assert.Equal(127, Math.Abs((int)q)));
        foreach (SimdTier tier in SimdTiers.Supported.Where(t => QuantizedMatMul.QuantizesActivations(matrix, m, t)))
        {
            var y = new float[m * n];
            QuantizedMatMul.Multiply(x, matrix, y, m, tier);
            Assert.Equal(IntegerRule(x, matrix, m, null, FusesIntegerSteps(tier)), y);
        }
    }

    [Property(MaxTest = 30)]
    public unsafe void PortableByteSumsAreExactInEveryFormThisCpuRuns(int seed)
    {
        // The portable tier's four-row block sums exist as SSSE3 (x64), NEON (Arm64, SDOT or widening) and plain
        // Vector128 forms; the kernel takes the first the CPU has, so the others are checked here against integers.
        var rng = new Random(seed);
        var bytes = new sbyte[5 * 32];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (sbyte)(rng.Next(4) == 0 ? (rng.Next(2) == 0 ? 127 : -127) : rng.Next(-127, 128));
        var expected = new int[4];
        for (int r = 0; r < 4; r++)
            for (int i = 0; i < 32; i++) expected[r] += bytes[i] * bytes[32 * (r + 1) + i];
        fixed (sbyte* p = bytes)
        {
            var forms = new List<(string Name, System.Runtime.Intrinsics.Vector128<int> Sums)>
            {
                ("widening", QuantizedMatMul.PortableQ8Sums.WideningSums4(p, p + 32, p + 64, p + 96, p + 128)),
                ("dispatched", QuantizedMatMul.PortableQ8Sums.Sums4(p, p + 32, p + 64, p + 96, p + 128)),
            };
            if (Ssse3.IsSupported) forms.Add(("ssse3", QuantizedMatMul.PortableQ8Sums.Ssse3Sums4(p, p + 32, p + 64, p + 96, p + 128)));
            if (AdvSimd.Arm64.IsSupported) forms.Add(("neon", QuantizedMatMul.PortableQ8Sums.NeonSums4(p, p + 32, p + 64, p + 96, p + 128)));
            foreach (var (name, sums) in forms)
                for (int r = 0; r < 4; r++) Assert.True(expected[r] == sums[r], $"{name}: row {r} gave {sums[r]}, expected {expected[r]}");
        }
    }

    [Property(MaxTest = 20)]
    public void ActivationsQuantiseToTheNearestStepWithTiesToEven(int seed)
    {
        var rng = new Random(seed);
        int blocks = rng.Next(1, 5);
        float[] x = KernelTestData.Floats(rng, blocks * 32, Math.Pow(2, rng.Next(-10, 10)));
        if (rng.Next(3) == 0) Array.Clear(x, 0, 32); // an all-zero block: scale 0, every q 0
        var q = new sbyte[x.Length];
        var d = new float[blocks];
        QuantizedMatMul.QuantizeActivations(x, q, d);
        for (int b = 0; b < blocks; b++)
        {
            float max = 0;
            for (int i = 0; i < 32; i++) max = MathF.Max(max, MathF.Abs(x[b * 32 + i]));
            float scale = max / 127f, inverse = scale != 0 ? 1f / scale : 0f;
            Assert.Equal(scale, d[b]);
            for (int i = b * 32; i < b * 32 + 32; i++) Assert.Equal((int)MathF.Round(x[i] * inverse, MidpointRounding.ToEven), q[i]);
        }
    }

    /// <summary>
    /// X as the product sees it: where the integer path runs, rounded to q8 blocks (checked to be within half a step),
    /// which the reference then multiplies exactly; elsewhere X itself.
    /// </summary>
    private static float[] EffectiveActivations(float[] x, QuantizedMatrix matrix, int m, int k, SimdTier tier)
    {
        if (!QuantizedMatMul.QuantizesActivations(matrix, m, tier)) return x;
        var q = new sbyte[m * k];
        var d = new float[m * k / 32];
        QuantizedMatMul.QuantizeActivations(x.AsSpan(0, m * k), q, d);
        var effective = new float[m * k];
        for (int i = 0; i < effective.Length; i++)
        {
            effective[i] = q[i] * d[i / 32];
            Assert.True(Math.Abs(effective[i] - x[i]) <= d[i / 32] * 0.5001, $"x[{i}] {x[i]} rounds to {effective[i]}");
        }
        return effective;
    }

    public static TheoryData<WeightFormat, int, int> FormatsAndRowCounts()
    {
        var data = new TheoryData<WeightFormat, int, int>();
        foreach (WeightFormat format in new[] { WeightFormat.F32, WeightFormat.F16, WeightFormat.Q8 })
        {
            // 1-3 rows take the fused kernels, 4-16 the batched blocks (5, 13 and 17 with padded groups; with AVX-512's
            // 8-row blocks, 4, 12 and 17 end in a 4-row group), 17 and 40
            // the shared tiles of prefill; K = 83 leaves a scalar tail in every tier, K = 96 none (and for q8 is whole
            // blocks, the integer path up to 16 rows), K = 7 is shorter than every vector but the portable one.
            foreach (int m in new[] { 1, 2, 3, 4, 5, 8, 12, 13, 16, 17, 40 }) data.Add(format, m, 83);
            foreach (int m in new[] { 1, 4, 8, 17 }) data.Add(format, m, 96);
            data.Add(format, 5, 7);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FormatsAndRowCounts))]
    public void EachRowIsBitIdenticalWhateverTheNumberOfRowsInEveryTier(WeightFormat format, int m, int k)
    {
        // Incremental decoding (one row per call) must equal recomputation and batched decoding (many rows per call)
        // exactly, within each tier. N = 37 leaves partial groups of W rows in every kernel. (For q8 with whole
        // 32-value blocks the integer path quantises X for few rows and not for many, so there a row is compared with
        // the same row repeated as few times as takes the same path: once, 4 or 17 times.)
        var rng = new Random(9 + m + k);
        const int n = 37;
        float[] w = KernelTestData.Floats(rng, n * k), x = KernelTestData.Floats(rng, m * k), bias = KernelTestData.Floats(rng, n);
        var matrix = QuantizedMatrix.FromRows(w, n, k, format);
        foreach (SimdTier tier in SimdTiers.Supported)
        {
            double[] reference = Reference(EffectiveActivations(x, matrix, m, k, tier), matrix, m, bias, null);
            var all = new float[m * n];
            QuantizedMatMul.Multiply(x, matrix, all, m, tier, bias);
            KernelTestData.AssertClose(reference, all, 1e-5, 1e-4, $"{tier} {format} M={m} K={k}");
            bool integerPath = QuantizedMatMul.QuantizesActivations(matrix, m, tier);
            int times = new[] { 1, QuantizedMatMul.FusedRowLimit, QuantizedMatMul.BatchedRowLimit + 1 }.First(t => QuantizedMatMul.QuantizesActivations(matrix, t, tier) == integerPath);
            for (int i = 0; i < m; i++)
            {
                float[] alone = Repeated(x.AsSpan(i * k, k), matrix, times, tier, bias);
                Assert.True(all.AsSpan(i * n, n).SequenceEqual(alone), $"{tier} {format} M={m} K={k}: row {i} differs when computed alone");
            }
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(83)]
    [InlineData(96)]
    public unsafe void PortableThreeRowBlockGivesTheOneRowKernelsBits(int k)
    {
        // x64 without FMA multiplies three rows of X at a time (Dot3x3) over f32 rows of W, every other portable CPU
        // four: the 3×3 block must give each output exactly as the one-row kernels do, and this process may never take it
        // by itself.
        AssertPortableBlockGivesTheOneRowKernelsBits(new Random(k), k, 3, 3,
            (x, vectorK, w, result) => QuantizedMatMul.PortableDot3x3(x, vectorK, k, w, w + k, w + 2 * k, result));
    }

    [Theory]
    [InlineData(7)]
    [InlineData(83)]
    [InlineData(96)]
    public unsafe void PortableFourByTwoBlockGivesTheOneRowKernelsBits(int k)
    {
        // x64 without FMA multiplies rows of W it converts (f16, q8) four rows of X by two of W at a time (Dot4x2): each
        // output must come out exactly as the one-row kernels give it (here over f32 rows, which it computes the same way).
        AssertPortableBlockGivesTheOneRowKernelsBits(new Random(100 + k), k, 4, 2,
            (x, vectorK, w, result) => QuantizedMatMul.PortableDot4x2(x, vectorK, k, w, w + k, result));
    }

    private unsafe delegate void PortableBlock(float* packedX, int vectorK, float* w, float* result);

    /// <summary>
    /// Packs <paramref name="rows"/> random rows of X as the blocked kernels read them, runs <paramref name="block"/>
    /// over <paramref name="wRows"/> random f32 rows of W, and checks each output (result[a·3 + b]) against the portable
    /// tier's one-row product, bit for bit.
    /// </summary>
    private static unsafe void AssertPortableBlockGivesTheOneRowKernelsBits(Random rng, int k, int rows, int wRows, PortableBlock block)
    {
        const int lanes = 4;
        float[] x = KernelTestData.Floats(rng, rows * k), w = KernelTestData.Floats(rng, wRows * k);
        var matrix = QuantizedMatrix.FromRows(w, wRows, k, WeightFormat.F32);
        int vectorK = k / lanes * lanes, tail = k - vectorK;
        var packed = new float[rows * k];
        for (int a = 0; a < rows; a++)
        {
            for (int i = 0; i < vectorK; i++) packed[i / lanes * rows * lanes + a * lanes + i % lanes] = x[a * k + i];
            for (int i = 0; i < tail; i++) packed[vectorK * rows + a * tail + i] = x[a * k + vectorK + i];
        }
        var results = new float[rows * 3];
        fixed (float* px = packed, pw = w, result = results) block(px, vectorK, pw, result);
        for (int a = 0; a < rows; a++)
        {
            var alone = new float[wRows];
            QuantizedMatMul.Multiply(x.AsSpan(a * k, k), matrix, alone, 1, SimdTier.Portable);
            Assert.Equal(alone, results.AsSpan(a * 3, wRows).ToArray());
        }
    }

    /// <summary>The first row of Y when <paramref name="row"/> is repeated <paramref name="times"/> times.</summary>
    private static float[] Repeated(ReadOnlySpan<float> row, QuantizedMatrix matrix, int times, SimdTier tier, float[] bias)
    {
        var x = new float[times * row.Length];
        for (int t = 0; t < times; t++) row.CopyTo(x.AsSpan(t * row.Length));
        var y = new float[times * matrix.Rows];
        QuantizedMatMul.Multiply(x, matrix, y, times, tier, bias);
        return y[..matrix.Rows];
    }

    [Theory]
    [InlineData(WeightFormat.F32)]
    [InlineData(WeightFormat.F16)]
    [InlineData(WeightFormat.Q8)]
    public void TiersAgreeWithEachOther(WeightFormat format)
    {
        var rng = new Random(21);
        const int n = 29, k = 224; // whole q8 blocks, so the integer path is compared too
        var matrix = QuantizedMatrix.FromRows(KernelTestData.Floats(rng, n * k), n, k, format);
        foreach (int m in new[] { 1, 6, 24 })
        {
            float[] x = KernelTestData.Floats(rng, m * k);
            float[]? first = null;
            foreach (SimdTier tier in SimdTiers.Supported)
            {
                var y = new float[m * n];
                QuantizedMatMul.Multiply(x, matrix, y, m, tier);
                // Tiers that disagree on quantising X agree to X's 8-bit rounding (|Σ w·δx| with |δx| ≤ max|x|/254 per
                // block, about 0.1 here at worst); the others to f32 rounding.
                bool samePath = QuantizedMatMul.QuantizesActivations(matrix, m, tier) == QuantizedMatMul.QuantizesActivations(matrix, m, SimdTiers.Supported[0]);
                if (first is null) first = y;
                else KernelTestData.AssertClose(Array.ConvertAll(first, v => (double)v), y, samePath ? 1e-5 : 0, samePath ? 1e-5 : 0.1, $"{tier} vs {SimdTiers.Supported[0]} {format} M={m}");
            }
        }
    }

    [Fact]
    public void HalfWeightsStayExactForLargeActivationsAndSubnormalWeights()
    {
        // |x| ≥ 2^15 turns off the pre-scaled f16 kernel (x·2^112 would overflow); subnormal halves must still
        // convert exactly in every tier's integer conversion.
        var rng = new Random(5);
        const int n = 11, k = 41;
        float[] w = KernelTestData.Floats(rng, n * k);
        for (int i = 0; i < w.Length; i += 3) w[i] *= 1e-6f; // subnormal in half precision (< 2^-14)
        var matrix = QuantizedMatrix.FromRows(w, n, k, WeightFormat.F16);
        foreach (int m in new[] { 1, 5, 20 })
        {
            float[] x = KernelTestData.Floats(rng, m * k);
            x[0] = 40000f;
            double[] expected = Reference(x, matrix, m, null, null);
            foreach (SimdTier tier in SimdTiers.Supported)
            {
                var y = new float[m * n];
                QuantizedMatMul.Multiply(x, matrix, y, m, tier);
                KernelTestData.AssertClose(expected, y, 1e-5, 1e-3, $"{tier} M={m}");
            }
        }
    }

    [Fact]
    public void ShortSpansAreClearErrors()
    {
        var matrix = QuantizedMatrix.FromRows(new float[12], 3, 4, WeightFormat.Q8);
        Assert.Throws<ArgumentException>(() => QuantizedMatMul.Multiply(new float[7], matrix, new float[6], 2));
        Assert.Throws<ArgumentException>(() => QuantizedMatMul.Multiply(new float[8], matrix, new float[5], 2));
        Assert.Throws<ArgumentException>(() => QuantizedMatrix.FromRows(new float[11], 3, 4, WeightFormat.F16));
    }
}
