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
        float[] p = TestData.Floats(rng, n), m = new float[n], v = new float[n];
        double[] pd = TestData.ToDouble(p), md = new double[n], vd = new double[n];
        const double lr = 1e-2, beta1 = 0.9, beta2 = 0.95, eps = 1e-8, decay = 0.1;
        for (int step = 1; step <= 3; step++)
        {
            float[] g = TestData.Floats(rng, n);
            AdamWUpdate.Step(p, g, m, v, (float)lr, (float)beta1, (float)beta2, (float)eps, (float)decay, step);
            for (int i = 0; i < n; i++)
            {
                md[i] = beta1 * md[i] + (1 - beta1) * g[i];
                vd[i] = beta2 * vd[i] + (1 - beta2) * g[i] * g[i];
                double mHat = md[i] / (1 - Math.Pow(beta1, step)), vHat = vd[i] / (1 - Math.Pow(beta2, step));
                pd[i] -= lr * (mHat / (Math.Sqrt(vHat) + eps) + decay * pd[i]);
            }
        }
        TestData.AssertClose(pd, p, 1e-5, 1e-6, "p");
        TestData.AssertClose(md, m, 1e-5, 1e-6, "m");
        TestData.AssertClose(vd, v, 1e-5, 1e-6, "v");
    }
}
