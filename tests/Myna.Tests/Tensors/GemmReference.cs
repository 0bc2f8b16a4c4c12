using Myna.Tensors;

namespace Myna.Tests.Tensors;

/// <summary>The test oracle: a plain scalar GEMM in double precision, plus the error scale each element may have.</summary>
internal static class GemmReference
{
    /// <summary>Returns op(A)·op(B) [+ bias] [+ C] in double, and per element Σ|a||b| + |bias| + |C| (the scale the
    /// float result's rounding error is proportional to).</summary>
    public static (double[] Value, double[] Scale) Multiply(
        float[] a, float[] b, float[] c, int m, int n, int k, GemmLayout layout, bool accumulate, float[]? bias)
    {
        var value = new double[m * n];
        var scale = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0, magnitude = 0;
                for (int p = 0; p < k; p++)
                {
                    double av = layout == GemmLayout.TN ? a[p * m + i] : a[i * k + p];
                    double bv = layout == GemmLayout.NT ? b[j * k + p] : b[p * n + j];
                    sum += av * bv;
                    magnitude += Math.Abs(av * bv);
                }
                if (bias is not null) { sum += bias[j]; magnitude += Math.Abs(bias[j]); }
                if (accumulate) { sum += c[i * n + j]; magnitude += Math.Abs(c[i * n + j]); }
                value[i * n + j] = sum;
                scale[i * n + j] = magnitude;
            }
        }
        return (value, scale);
    }

    /// <summary>Fixed-seed values in [-1, 1).</summary>
    public static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++) values[i] = (float)(random.NextDouble() * 2 - 1);
        return values;
    }
}
