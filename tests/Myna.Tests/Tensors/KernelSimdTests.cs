using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public unsafe class KernelSimdTests
{
    [Property(MaxTest = 40)]
    public void RowHelpersMatchDoubleReference(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 200);
        float[] x = KernelTestData.Floats(rng, n, 3), y = KernelTestData.Floats(rng, n, 3);
        double dot = 0, sum = 0, max = double.NegativeInfinity;
        for (int i = 0; i < n; i++) { dot += (double)x[i] * y[i]; sum += x[i]; max = Math.Max(max, x[i]); }
        foreach (SimdTier tier in SimdTiers.Supported)
        {
            Assert.Equal(dot, KernelSimd.Dot(x, y, tier), 1e-4 * n);
            Assert.Equal(sum, KernelSimd.Sum(x, tier), 1e-4 * n);
            Assert.Equal((float)max, KernelSimd.Max(x, tier));

            float[] axpy = (float[])y.Clone();
            KernelSimd.MultiplyAdd(0.5f, x, axpy, tier);
            KernelTestData.AssertClose(Enumerable.Range(0, n).Select(i => y[i] + 0.5 * x[i]).ToArray(), axpy, 1e-6, 1e-6, $"{tier} axpy");

            float[] added = (float[])y.Clone(), scaled = (float[])x.Clone();
            KernelSimd.Add(x, added, tier);
            KernelSimd.Scale(scaled, 1.5f, tier);
            Assert.Equal(Enumerable.Range(0, n).Select(i => y[i] + x[i]), added); // one rounding per element: exact at every tier
            Assert.Equal(x.Select(v => v * 1.5f), scaled);

            float[] e = (float[])x.Clone();
            float expSum = KernelSimd.ExpShiftedInPlace(e, (float)max, tier);
            double[] expected = x.Select(v => Math.Exp(v - max)).ToArray();
            KernelTestData.AssertClose(expected, e, 1e-5, 1e-7, $"{tier} exp");
            Assert.Equal(expected.Sum(), expSum, 1e-5 * n);
        }
    }

    [Property(MaxTest = 30)]
    public void WeightedRowSumMatchesDoubleReference(int seed)
    {
        var rng = new Random(seed);
        int width = rng.Next(1, 150), count = rng.Next(0, 12), stride = width + rng.Next(0, 5);
        float[] rows = KernelTestData.Floats(rng, Math.Max(1, count * stride)), weights = KernelTestData.Floats(rng, count);
        var expected = new double[width];
        for (int r = 0; r < count; r++)
        for (int i = 0; i < width; i++) expected[i] += (double)weights[r] * rows[r * stride + i];
        foreach (SimdTier tier in SimdTiers.Supported)
        {
            var y = KernelTestData.Floats(rng, width); // stale contents must be overwritten
            fixed (float* p = rows) KernelSimd.WeightedRowSum(y, weights, p, stride, tier);
            KernelTestData.AssertClose(expected, y, 1e-5, 1e-5, $"{tier} y");
        }
    }
}
