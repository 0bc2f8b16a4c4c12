using FsCheck.Xunit;
using Myna.Models.Quantization;
using Myna.Tensors.Quantized;

namespace Myna.Tests.Tensors.Quantized;

public class QuantizedMatMulTests
{
    public static TheoryData<WeightFormat> Formats => new() { WeightFormat.F32, WeightFormat.F16, WeightFormat.Q8 };

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
        // Sizes straddle the 4×4 blocks, the 16-lane vectors, the 32-value q8 blocks and all three row-count paths.
        int m = rng.Next(1, 21), n = rng.Next(1, 20), k = rng.Next(1, 100);
        var format = (WeightFormat)rng.Next(3);
        bool withBias = rng.Next(2) == 0, accumulate = rng.Next(2) == 0;
        float[] w = KernelTestData.Floats(rng, n * k), x = KernelTestData.Floats(rng, m * k), bias = KernelTestData.Floats(rng, n), y = KernelTestData.Floats(rng, m * n);
        float[] start = (float[])y.Clone();
        var matrix = QuantizedMatrix.FromRows(w, n, k, format);
        QuantizedMatMul.Multiply(x, matrix, y, m, withBias ? bias : default, accumulate);
        double[] expected = Reference(EffectiveActivations(x, matrix, m, k), matrix, m, withBias ? bias : null, accumulate ? start : null);
        KernelTestData.AssertClose(expected, y, 1e-5, 1e-4, $"{format} M={m} N={n} K={k}");
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

    [Property(MaxTest = 20)]
    public void IntegerDecodePathMatchesTheReferenceOverQuantisedActivations(int seed)
    {
        var rng = new Random(seed);
        // 1-3 rows: the one-row kernels; 4-16: the 8×8 VNNI block kernel, with partial groups of X and W rows.
        int m = rng.Next(1, QuantizedMatMul.BatchedRowLimit + 1), n = rng.Next(1, 30), k = 32 * rng.Next(1, 5);
        float[] w = KernelTestData.Floats(rng, n * k), x = KernelTestData.Floats(rng, m * k, 4), bias = KernelTestData.Floats(rng, n);
        var matrix = QuantizedMatrix.FromRows(w, n, k, WeightFormat.Q8);
        var y = new float[m * n];
        QuantizedMatMul.Multiply(x, matrix, y, m, bias);

        KernelTestData.AssertClose(Reference(EffectiveActivations(x, matrix, m, k), matrix, m, bias, null), y, 1e-5, 1e-4, $"M={m} N={n} K={k}");
    }

    /// <summary>
    /// X as the product sees it: where the integer path runs, rounded to q8 blocks (checked to be within half a step),
    /// which the reference then multiplies exactly; elsewhere X itself.
    /// </summary>
    private static float[] EffectiveActivations(float[] x, QuantizedMatrix matrix, int m, int k)
    {
        if (!QuantizedMatMul.QuantizesActivations(matrix, m)) return x;
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
            // 4-16 rows take the batched 8×3 kernel (13 and 5 with padded groups), 40 the shared tiles of prefill;
            // K = 83 has a scalar tail, K = 96 none (and for q8 is not whole blocks only in the first case).
            foreach (int m in new[] { 4, 5, 8, 13, 16, 40 }) data.Add(format, m, 83);
            data.Add(format, 8, 96);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FormatsAndRowCounts))]
    public void EachRowIsBitIdenticalWhateverTheNumberOfRows(WeightFormat format, int m, int k)
    {
        // Incremental decoding (one row per call) must equal recomputation and batched decoding (many rows per call)
        // exactly. (For q8 with whole 32-value blocks one row takes the integer path, which rounds X; it has its own
        // test above, so that case is compared with four rows per call, which stay on f32 activations.)
        var rng = new Random(9 + m + k);
        const int n = 37;
        float[] w = KernelTestData.Floats(rng, n * k), x = KernelTestData.Floats(rng, m * k), bias = KernelTestData.Floats(rng, n);
        var matrix = QuantizedMatrix.FromRows(w, n, k, format);
        var all = new float[m * n];
        QuantizedMatMul.Multiply(x, matrix, all, m, bias);
        bool integerPath = format == WeightFormat.Q8 && k % QuantizedMatrix.BlockSize == 0;
        var one = new float[n];
        for (int i = 0; i < m; i++)
        {
            if (integerPath)
            {
                var four = new float[4 * n];
                float[] rows = [.. x.AsSpan(i * k, k), .. x.AsSpan(i * k, k), .. x.AsSpan(i * k, k), .. x.AsSpan(i * k, k)];
                QuantizedMatMul.Multiply(rows, matrix, four, 4, bias);
                four.AsSpan(0, n).CopyTo(one);
            }
            else QuantizedMatMul.Multiply(x.AsSpan(i * k, k), matrix, one, 1, bias);
            Assert.Equal(all.AsSpan(i * n, n).ToArray(), one);
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
