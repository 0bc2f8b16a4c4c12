using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class ResidualTests
{
    [Property(MaxTest = 20)]
    public void ForwardAddsAndBackwardAccumulatesIntoBoth(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 100_000);
        float[] a = TestData.Floats(rng, n), b = TestData.Floats(rng, n), dy = TestData.Floats(rng, n);
        var y = new float[n];
        Residual.Forward(y, a, b, n);
        for (int i = 0; i < n; i++) Assert.Equal(a[i] + b[i], y[i]);

        float[] da = TestData.Floats(rng, n), db = TestData.Floats(rng, n);
        float[] da0 = (float[])da.Clone(), db0 = (float[])db.Clone();
        Residual.Backward(da, db, dy, n);
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(da0[i] + dy[i], da[i]);
            Assert.Equal(db0[i] + dy[i], db[i]);
        }
    }
}
