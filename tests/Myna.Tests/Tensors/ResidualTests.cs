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
        float[] a = KernelTestData.Floats(rng, n), b = KernelTestData.Floats(rng, n), dy = KernelTestData.Floats(rng, n);
        var y = new float[n];
        Residual.Forward(y, a, b, n);
        Assert.True(Enumerable.Range(0, n).Select(i => a[i] + b[i]).ToArray().AsSpan().SequenceEqual(y), "a + b");

        float[] da = KernelTestData.Floats(rng, n), db = KernelTestData.Floats(rng, n);
        float[] expectedA = Enumerable.Range(0, n).Select(i => da[i] + dy[i]).ToArray();
        float[] expectedB = Enumerable.Range(0, n).Select(i => db[i] + dy[i]).ToArray();
        Residual.Backward(da, db, dy, n);
        Assert.True(expectedA.AsSpan().SequenceEqual(da), "dA += dOut");
        Assert.True(expectedB.AsSpan().SequenceEqual(db), "dB += dOut");
    }

    [Property(MaxTest = 10)]
    public void TheOutputMayBeEitherInput(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 100_000);
        float[] a = KernelTestData.Floats(rng, n), b = KernelTestData.Floats(rng, n);
        float[] sum = Enumerable.Range(0, n).Select(i => a[i] + b[i]).ToArray();
        float[] intoA = (float[])a.Clone(), intoB = (float[])b.Clone();
        Residual.Forward(intoA, intoA, b, n);
        Residual.Forward(intoB, a, intoB, n);
        Assert.Equal(sum, intoA);
        Assert.Equal(sum, intoB);
    }

    [Property(MaxTest = 10)]
    public void EveryTierAddsExactly(int seed)
    {
        // One rounding per element, so every tier gives the scalar sum bit for bit, tails included.
        var rng = new Random(seed);
        int n = rng.Next(1, 5000);
        float[] a = KernelTestData.Floats(rng, n), b = KernelTestData.Floats(rng, n), dy = KernelTestData.Floats(rng, n);
        float[] sum = Enumerable.Range(0, n).Select(i => a[i] + b[i]).ToArray();
        float[] expectedA = Enumerable.Range(0, n).Select(i => a[i] + dy[i]).ToArray();
        float[] expectedB = Enumerable.Range(0, n).Select(i => b[i] + dy[i]).ToArray();
        foreach (SimdTier tier in SimdTiers.Supported)
        {
            var y = new float[n];
            Residual.Forward(y, a, b, n, tier);
            Assert.Equal(sum, y);
            float[] da = (float[])a.Clone(), db = (float[])b.Clone();
            Residual.Backward(da, db, dy, n, tier);
            Assert.Equal(expectedA, da);
            Assert.Equal(expectedB, db);
        }
    }
}
