using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class LayerNormTests
{
    [Property(MaxTest = 25)]
    public void ForwardMatchesDoubleReference(int seed)
    {
        var rng = new Random(seed);
        int rows = rng.Next(1, 12), c = rng.Next(1, 80);
        float[] x = KernelTestData.Floats(rng, rows * c, 3), w = KernelTestData.Floats(rng, c), b = KernelTestData.Floats(rng, c);
        // An offset mean checks the variance is computed around the mean, not from E[x²] − E[x]².
        for (int i = 0; i < x.Length; i++) x[i] += 10f;
        var y = new float[rows * c];
        var mean = new float[rows];
        var rstd = new float[rows];
        LayerNorm.Forward(y, mean, rstd, x, w, b, rows, c);
        double[] expected = KernelReference.LayerNorm(KernelTestData.ToDouble(x), KernelTestData.ToDouble(w), KernelTestData.ToDouble(b), rows, c);
        KernelTestData.AssertClose(expected, y, 1e-4, 1e-4, "y");
    }

    [Property(MaxTest = 15)]
    public void BackwardMatchesFiniteDifferencesAndAccumulates(int seed)
    {
        var rng = new Random(seed);
        int rows = rng.Next(1, 6), c = rng.Next(1, 40);
        float[] x = KernelTestData.Floats(rng, rows * c, 2), w = KernelTestData.Floats(rng, c), b = KernelTestData.Floats(rng, c);
        float[] dy = KernelTestData.Floats(rng, rows * c);
        var y = new float[rows * c];
        var mean = new float[rows];
        var rstd = new float[rows];
        LayerNorm.Forward(y, mean, rstd, x, w, b, rows, c);

        // Gradients start non-zero: all three must add to what is there.
        float[] dx = KernelTestData.Floats(rng, rows * c), dw = KernelTestData.Floats(rng, c), db = KernelTestData.Floats(rng, c);
        float[] dx0 = (float[])dx.Clone(), dw0 = (float[])dw.Clone(), db0 = (float[])db.Clone();
        LayerNorm.Backward(dx, dw, db, dy, x, w, mean, rstd, rows, c);

        double[] xd = KernelTestData.ToDouble(x), wd = KernelTestData.ToDouble(w), bd = KernelTestData.ToDouble(b);
        double[] gx = KernelTestData.NumericalGradient(v => KernelTestData.Project(KernelReference.LayerNorm(v, wd, bd, rows, c), dy), xd);
        double[] gw = KernelTestData.NumericalGradient(v => KernelTestData.Project(KernelReference.LayerNorm(xd, v, bd, rows, c), dy), wd);
        double[] gb = KernelTestData.NumericalGradient(v => KernelTestData.Project(KernelReference.LayerNorm(xd, wd, v, rows, c), dy), bd);
        KernelTestData.AssertClose(Add(gx, dx0), dx, 1e-3, 1e-3, "dx");
        KernelTestData.AssertClose(Add(gw, dw0), dw, 1e-3, 1e-3, "dw");
        KernelTestData.AssertClose(Add(gb, db0), db, 1e-3, 1e-3, "db");
    }

    [Property(MaxTest = 15)]
    public void EveryTierMatchesTheDoubleReference(int seed)
    {
        var rng = new Random(seed);
        int rows = rng.Next(1, 12), c = rng.Next(1, 200);
        float[] x = KernelTestData.Floats(rng, rows * c, 3), w = KernelTestData.Floats(rng, c), b = KernelTestData.Floats(rng, c);
        for (int i = 0; i < x.Length; i++) x[i] += 10f;
        double[] expected = KernelReference.LayerNorm(KernelTestData.ToDouble(x), KernelTestData.ToDouble(w), KernelTestData.ToDouble(b), rows, c);
        float[] dy = KernelTestData.Floats(rng, rows * c);
        float[]? dxDefault = null;
        foreach (SimdTier tier in SimdTiers.Supported)
        {
            var y = new float[rows * c];
            var mean = new float[rows];
            var rstd = new float[rows];
            LayerNorm.Forward(y, mean, rstd, x, w, b, rows, c, tier);
            KernelTestData.AssertClose(expected, y, 1e-4, 1e-4, $"{tier} y");

            // The backward pass at every tier agrees with the process tier's, which the finite-difference test checks.
            var dx = new float[rows * c];
            var dw = new float[c];
            var db = new float[c];
            LayerNorm.Backward(dx, dw, db, dy, x, w, mean, rstd, rows, c, tier);
            if (dxDefault is null)
            {
                dxDefault = new float[rows * c];
                LayerNorm.Backward(dxDefault, new float[c], new float[c], dy, x, w, mean, rstd, rows, c);
            }
            KernelTestData.AssertClose(KernelTestData.ToDouble(dxDefault), dx, 1e-3, 1e-3, $"{tier} dx");
        }
    }

    [Fact]
    public void ResultsDoNotDependOnTheThreadCount()
    {
        var rng = new Random(9);
        const int rows = 50, c = 100; // several chunks of 8 rows, and a channel tail at every width
        float[] x = KernelTestData.Floats(rng, rows * c, 3), w = KernelTestData.Floats(rng, c), b = KernelTestData.Floats(rng, c);
        foreach (SimdTier tier in SimdTiers.Supported)
        {
            float[]? first = null;
            foreach (int threads in new[] { 1, 2, 3 })
            {
                using var pool = new ComputePool(threads);
                var y = new float[rows * c];
                LayerNorm.Forward(y, new float[rows], new float[rows], x, w, b, rows, c, tier, pool);
                if (first is null) first = y;
                else Assert.Equal(first, y);
            }
        }
    }

    internal static double[] Add(double[] a, float[] b)
    {
        var sum = new double[a.Length];
        for (int i = 0; i < a.Length; i++) sum[i] = a[i] + b[i];
        return sum;
    }
}
