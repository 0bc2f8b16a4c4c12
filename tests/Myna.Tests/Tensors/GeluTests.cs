using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class GeluTests
{
    [Property(MaxTest = 25)]
    public void ForwardMatchesTanhFormula(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 200);
        float[] x = KernelTestData.Floats(rng, n, 6);
        var y = new float[n];
        Gelu.Forward(y, x, n);
        KernelTestData.AssertClose(Array.ConvertAll(x, v => KernelReference.Gelu(v)), y, 1e-5, 1e-6, "gelu");
    }

    [Property(MaxTest = 15)]
    public void FusedBiasMatchesSeparateAdd(int seed)
    {
        var rng = new Random(seed);
        int rows = rng.Next(1, 5), width = rng.Next(1, 50);
        float[] x = KernelTestData.Floats(rng, rows * width, 4), bias = KernelTestData.Floats(rng, width);
        var y = new float[x.Length];
        Gelu.Forward(y, x, x.Length, bias);
        var expected = new double[x.Length];
        for (int i = 0; i < x.Length; i++) expected[i] = KernelReference.Gelu((double)x[i] + bias[i % width]);
        KernelTestData.AssertClose(expected, y, 1e-5, 1e-5, "gelu(x + b)");
    }

    [Property(MaxTest = 15)]
    public void BackwardMatchesFiniteDifferences(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 100);
        float[] x = KernelTestData.Floats(rng, n, 5), dy = KernelTestData.Floats(rng, n);
        var dx = new float[n];
        Gelu.Backward(dx, x, dy, n);
        double[] g = KernelTestData.NumericalGradient(v => KernelTestData.Project(Array.ConvertAll(v, KernelReference.Gelu), dy), KernelTestData.ToDouble(x));
        KernelTestData.AssertClose(g, dx, 1e-4, 1e-5, "dx");
    }

    [Fact]
    public void ExtremeInputsStayFinite()
    {
        float[] x = [-1000f, -60f, 0f, 60f, 1000f];
        var y = new float[x.Length];
        var dx = new float[x.Length];
        Gelu.Forward(y, x, x.Length);
        Gelu.Backward(dx, x, [1, 1, 1, 1, 1], x.Length);
        Assert.Equal([0f, 0f, 0f, 60f, 1000f], y.Select(v => v == 0 ? 0f : v));
        Assert.All(dx, v => Assert.True(float.IsFinite(v)));
    }

    [Property(MaxTest = 15)]
    public void EveryTierMatchesTheFormulaAndItsDerivative(int seed)
    {
        var rng = new Random(seed);
        int rows = rng.Next(1, 5), width = rng.Next(1, 90), n = rows * width;
        float[] x = KernelTestData.Floats(rng, n, 6), bias = KernelTestData.Floats(rng, width), dy = KernelTestData.Floats(rng, n);
        var expected = new double[n];
        var expectedBiased = new double[n];
        var expectedGradient = new double[n];
        for (int i = 0; i < n; i++)
        {
            expected[i] = KernelReference.Gelu(x[i]);
            expectedBiased[i] = KernelReference.Gelu((double)x[i] + bias[i % width]);
            const double h = 1e-4; // the derivative by central differences of the double-precision formula
            expectedGradient[i] = (KernelReference.Gelu(x[i] + h) - KernelReference.Gelu(x[i] - h)) / (2 * h) * dy[i];
        }
        foreach (SimdTier tier in SimdTiers.Supported)
        {
            var y = new float[n];
            Gelu.Forward(y, x, n, default, tier);
            KernelTestData.AssertClose(expected, y, 1e-5, 1e-6, $"{tier} gelu");
            Gelu.Forward(y, x, n, bias, tier);
            KernelTestData.AssertClose(expectedBiased, y, 1e-5, 1e-5, $"{tier} gelu(x + b)");
            var dx = new float[n];
            Gelu.Backward(dx, x, dy, n, tier);
            KernelTestData.AssertClose(expectedGradient, dx, 1e-4, 1e-5, $"{tier} dx");
        }
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        // Long enough for several parallel chunks; with and without the bias (whose chunks are whole rows).
        var rng = new Random(4);
        const int width = 768, n = 60 * width + 0;
        float[] x = KernelTestData.Floats(rng, n, 5), bias = KernelTestData.Floats(rng, width);
        foreach (SimdTier tier in SimdTiers.Supported)
        {
            float[]? plain = null, biased = null;
            foreach (int threads in new[] { 1, 2, 3 })
            {
                using var pool = new ComputePool(threads);
                var y = new float[n];
                var yb = new float[n];
                Gelu.Forward(y, x, n, default, tier, pool);
                Gelu.Forward(yb, x, n, bias, tier, pool);
                if (plain is null) (plain, biased) = (y, yb);
                else
                {
                    Assert.Equal(plain, y);
                    Assert.Equal(biased, yb);
                }
            }
        }
    }
}
