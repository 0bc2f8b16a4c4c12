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
}
