using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class GradientClippingTests
{
    [Property(MaxTest = 15)]
    public void NormMatchesDoubleAndClipScalesToMax(int seed)
    {
        var rng = new Random(seed);
        int n = rng.Next(1, 300_000);
        float[] g = KernelTestData.Floats(rng, n);
        double expected = Math.Sqrt(g.Sum(x => (double)x * x));
        Assert.Equal(expected, GradientClipping.GlobalNorm(g), expected * 1e-5);

        float[] copy = (float[])g.Clone();
        float before = GradientClipping.ClipByGlobalNorm(copy, 0.5f);
        Assert.Equal(GradientClipping.GlobalNorm(g), before);
        Assert.Equal(0.5, GradientClipping.GlobalNorm(copy), 1e-4);

        // Below the maximum nothing changes.
        float[] small = (float[])copy.Clone();
        GradientClipping.ClipByGlobalNorm(small, 10f);
        Assert.Equal(copy, small);
    }

    [Fact]
    public void NormIsBitIdenticalAcrossCalls()
    {
        float[] g = KernelTestData.Floats(new Random(3), 1_000_003);
        float first = GradientClipping.GlobalNorm(g);
        for (int i = 0; i < 3; i++) Assert.Equal(first, GradientClipping.GlobalNorm(g));
    }
}
