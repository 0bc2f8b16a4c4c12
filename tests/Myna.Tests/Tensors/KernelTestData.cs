namespace Myna.Tests.Tensors;

/// <summary>Random test inputs and numeric comparison helpers shared by the kernel and model tests.</summary>
internal static class KernelTestData
{
    public static float[] Floats(Random rng, int count, double scale = 1.0)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++) values[i] = (float)((rng.NextDouble() * 2 - 1) * scale);
        return values;
    }

    public static double[] ToDouble(float[] values) => Array.ConvertAll(values, v => (double)v);

    /// <summary>Central finite-difference gradient of a scalar function, in double precision.</summary>
    public static double[] NumericalGradient(Func<double[], double> f, double[] x, double step = 1e-5)
    {
        var gradient = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double saved = x[i];
            x[i] = saved + step;
            double plus = f(x);
            x[i] = saved - step;
            double minus = f(x);
            x[i] = saved;
            gradient[i] = (plus - minus) / (2 * step);
        }
        return gradient;
    }

    /// <summary>Σ w·y: turns a vector output into the scalar a finite-difference check needs.</summary>
    public static double Project(double[] y, float[] w)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += y[i] * w[i];
        return sum;
    }

    /// <summary>Asserts |actual − expected| ≤ absolute + relative·|expected| element-wise, naming the first offender.</summary>
    public static void AssertClose(ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, double relative, double absolute, string what)
    {
        Assert.True(actual.Length >= expected.Length, $"{what}: {actual.Length} values, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double error = Math.Abs(actual[i] - expected[i]);
            if (!(error <= absolute + relative * Math.Abs(expected[i])))
                Assert.Fail($"{what}[{i}]: expected {expected[i]:R}, got {actual[i]:R} (error {error:E2})");
        }
    }
}
