using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class AdamWUpdateTests
{
    [Property(MaxTest = 15)]
    public void ThreeStepsMatchDoubleReference(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 200_000);
        float[] p = KernelTestData.Floats(rng, n), m = new float[n], v = new float[n];
        double[] pd = KernelTestData.ToDouble(p), md = new double[n], vd = new double[n];
        const double lr = 1e-2, beta1 = 0.9, beta2 = 0.95, eps = 1e-8, decay = 0.1;
        for (int step = 1; step <= 3; step++)
        {
            float[] g = KernelTestData.Floats(rng, n);
            AdamWUpdate.Step(p, g, m, v, (float)lr, (float)beta1, (float)beta2, (float)eps, (float)decay, step);
            for (int i = 0; i < n; i++)
            {
                md[i] = beta1 * md[i] + (1 - beta1) * g[i];
                vd[i] = beta2 * vd[i] + (1 - beta2) * g[i] * g[i];
                double mHat = md[i] / (1 - Math.Pow(beta1, step)), vHat = vd[i] / (1 - Math.Pow(beta2, step));
                pd[i] -= lr * (mHat / (Math.Sqrt(vHat) + eps) + decay * pd[i]);
            }
        }
        KernelTestData.AssertClose(pd, p, 1e-5, 1e-6, "p");
        KernelTestData.AssertClose(md, m, 1e-5, 1e-6, "m");
        KernelTestData.AssertClose(vd, v, 1e-5, 1e-6, "v");
    }

    [Fact]
    public void GradientScaleEqualsPrescaledGradients()
    {
        var rng = new Random(5);
        const int n = 1000;
        float[] g = KernelTestData.Floats(rng, n), p1 = KernelTestData.Floats(rng, n);
        float[] p2 = (float[])p1.Clone(), m1 = new float[n], v1 = new float[n], m2 = new float[n], v2 = new float[n];
        float[] scaled = Array.ConvertAll(g, x => x * 0.25f);
        AdamWUpdate.Step(p1, g, m1, v1, 1e-2f, 0.9f, 0.95f, 1e-8f, 0.1f, 1, gradientScale: 0.25f);
        AdamWUpdate.Step(p2, scaled, m2, v2, 1e-2f, 0.9f, 0.95f, 1e-8f, 0.1f, 1);
        Assert.Equal(p2, p1);
        Assert.Equal(m2, m1);
        Assert.Equal(v2, v1);
        Assert.Equal(1f, GradientClipping.ClipFactor(0.5f, 1f));
        Assert.Equal(0.5f, GradientClipping.ClipFactor(4f, 2f), 1e-6f);
    }

    [Fact]
    public void EveryTierGivesTheSameBitsAsTheScalarFormula()
    {
        // 16·k + 7 elements: every vector width runs a body and a scalar tail.
        var rng = new Random(11);
        const int n = 16 * 37 + 7;
        float[] g = KernelTestData.Floats(rng, n), p0 = KernelTestData.Floats(rng, n);
        float[] m0 = KernelTestData.Floats(rng, n, 0.1), v0 = Array.ConvertAll(KernelTestData.Floats(rng, n, 0.01), x => x * x);
        float[]? expectedP = null, expectedM = null, expectedV = null;
        foreach (SimdTier tier in SimdTiers.Supported)
        {
            float[] p = (float[])p0.Clone(), m = (float[])m0.Clone(), v = (float[])v0.Clone(), grad = (float[])g.Clone();
            AdamWUpdate.Step(p, grad, m, v, 1e-2f, 0.9f, 0.95f, 1e-8f, 0.1f, 3, 0.7f, clearGradients: true, tier);
            Assert.True(grad.AsSpan().IndexOfAnyExcept(0f) < 0, $"{tier} left gradients");
            if (expectedP is null)
            {
                (expectedP, expectedM, expectedV) = (p, m, v);
                // The lowest tier against the scalar formula written out here, element by element.
                float c1 = 1f / (float)(1 - Math.Pow(0.9f, 3)), c2 = 1f / (float)(1 - Math.Pow(0.95f, 3));
                for (int i = 0; i < n; i++)
                {
                    float gi = g[i] * 0.7f;
                    float mi = 0.9f * m0[i] + (1f - 0.9f) * gi;
                    float vi = 0.95f * v0[i] + (1f - 0.95f) * gi * gi;
                    float pi = p0[i] - 1e-2f * (mi * c1 / (MathF.Sqrt(vi * c2) + 1e-8f) + 0.1f * p0[i]);
                    Assert.Equal(mi, m[i]);
                    Assert.Equal(vi, v[i]);
                    Assert.Equal(pi, p[i]);
                }
                continue;
            }
            Assert.Equal(expectedP, p);
            Assert.Equal(expectedM, m);
            Assert.Equal(expectedV, v);
        }
    }
}
