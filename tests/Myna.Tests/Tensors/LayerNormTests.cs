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
        float[] x = TestData.Floats(rng, rows * c, 3), w = TestData.Floats(rng, c), b = TestData.Floats(rng, c);
        // An offset mean checks the variance is computed around the mean, not from E[x²] − E[x]².
        for (int i = 0; i < x.Length; i++) x[i] += 10f;
        var y = new float[rows * c];
        var mean = new float[rows];
        var rstd = new float[rows];
        LayerNorm.Forward(y, mean, rstd, x, w, b, rows, c);
        double[] expected = ReferenceKernels.LayerNorm(TestData.ToDouble(x), TestData.ToDouble(w), TestData.ToDouble(b), rows, c);
        TestData.AssertClose(expected, y, 1e-4, 1e-4, "y");
    }

    [Property(MaxTest = 15)]
    public void BackwardMatchesFiniteDifferencesAndAccumulates(int seed)
    {
        var rng = new Random(seed);
        int rows = rng.Next(1, 6), c = rng.Next(1, 40);
        float[] x = TestData.Floats(rng, rows * c, 2), w = TestData.Floats(rng, c), b = TestData.Floats(rng, c);
        float[] dy = TestData.Floats(rng, rows * c);
        var y = new float[rows * c];
        var mean = new float[rows];
        var rstd = new float[rows];
        LayerNorm.Forward(y, mean, rstd, x, w, b, rows, c);

        // Gradients start non-zero: all three must add to what is there.
        float[] dx = TestData.Floats(rng, rows * c), dw = TestData.Floats(rng, c), db = TestData.Floats(rng, c);
        float[] dx0 = (float[])dx.Clone(), dw0 = (float[])dw.Clone(), db0 = (float[])db.Clone();
        LayerNorm.Backward(dx, dw, db, dy, x, w, mean, rstd, rows, c);

        double[] xd = TestData.ToDouble(x), wd = TestData.ToDouble(w), bd = TestData.ToDouble(b);
        double[] gx = TestData.NumericalGradient(v => TestData.Project(ReferenceKernels.LayerNorm(v, wd, bd, rows, c), dy), xd);
        double[] gw = TestData.NumericalGradient(v => TestData.Project(ReferenceKernels.LayerNorm(xd, v, bd, rows, c), dy), wd);
        double[] gb = TestData.NumericalGradient(v => TestData.Project(ReferenceKernels.LayerNorm(xd, wd, v, rows, c), dy), bd);
        TestData.AssertClose(Add(gx, dx0), dx, 1e-3, 1e-3, "dx");
        TestData.AssertClose(Add(gw, dw0), dw, 1e-3, 1e-3, "dw");
        TestData.AssertClose(Add(gb, db0), db, 1e-3, 1e-3, "db");
    }

    internal static double[] Add(double[] a, float[] b)
    {
        var sum = new double[a.Length];
        for (int i = 0; i < a.Length; i++) sum[i] = a[i] + b[i];
        return sum;
    }
}
