using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class CausalAttentionTests
{
    [Property(MaxTest = 20)]
    public void ForwardMatchesDoubleReference(int seed)
    {
        var rng = new Random(seed);
        int batch = rng.Next(1, 4), time = rng.Next(1, 12), heads = rng.Next(1, 4), c = heads * rng.Next(1, 21);
        float[] qkv = KernelTestData.Floats(rng, batch * time * 3 * c, 2);
        var y = new float[batch * time * c];
        var lse = new float[batch * heads * time];
        CausalAttention.Forward(y, lse, qkv, batch, time, c, heads);
        KernelTestData.AssertClose(KernelReference.Attention(KernelTestData.ToDouble(qkv), batch, time, c, heads), y, 1e-4, 1e-5, "y");
        KernelTestData.AssertClose(KernelReference.AttentionLogSumExp(KernelTestData.ToDouble(qkv), batch, time, c, heads), lse, 1e-5, 1e-5, "lse");
    }

    [Property(MaxTest = 12)]
    public void BackwardMatchesFiniteDifferences(int seed)
    {
        var rng = new Random(seed);
        int batch = rng.Next(1, 3), time = rng.Next(1, 7), heads = rng.Next(1, 3), c = heads * rng.Next(1, 19);
        float[] qkv = KernelTestData.Floats(rng, batch * time * 3 * c, 2), dy = KernelTestData.Floats(rng, batch * time * c);
        var y = new float[batch * time * c];
        var lse = new float[batch * heads * time];
        CausalAttention.Forward(y, lse, qkv, batch, time, c, heads);
        // Stale values in dqkv must be overwritten, not added to.
        float[] dqkv = KernelTestData.Floats(rng, qkv.Length, 100);
        CausalAttention.Backward(dqkv, dy, qkv, lse, batch, time, c, heads);
        double[] g = KernelTestData.NumericalGradient(
            v => KernelTestData.Project(KernelReference.Attention(v, batch, time, c, heads), dy), KernelTestData.ToDouble(qkv));
        KernelTestData.AssertClose(g, dqkv, 1e-3, 1e-4, "dqkv");
    }

    [Theory]
    [InlineData(1, 33, 2, 16)] // T spans three vectors
    [InlineData(2, 5, 1, 87)]  // head size 87 = a 64-wide register block + 16 + a 7-element tail
    public void AwkwardShapesMatchReferenceAndFiniteDifferences(int batch, int time, int heads, int c)
    {
        var rng = new Random(17);
        float[] qkv = KernelTestData.Floats(rng, batch * time * 3 * c, 2), dy = KernelTestData.Floats(rng, batch * time * c);
        var y = new float[batch * time * c];
        var lse = new float[batch * heads * time];
        CausalAttention.Forward(y, lse, qkv, batch, time, c, heads);
        KernelTestData.AssertClose(KernelReference.Attention(KernelTestData.ToDouble(qkv), batch, time, c, heads), y, 1e-4, 1e-5, "y");

        var dqkv = new float[qkv.Length];
        CausalAttention.Backward(dqkv, dy, qkv, lse, batch, time, c, heads);
        double[] g = KernelTestData.NumericalGradient(
            v => KernelTestData.Project(KernelReference.Attention(v, batch, time, c, heads), dy), KernelTestData.ToDouble(qkv));
        KernelTestData.AssertClose(g, dqkv, 1e-3, 1e-4, "dqkv");
    }

    [Fact]
    public void LargeScoresDoNotOverflow()
    {
        float[] qkv = Enumerable.Repeat(100f, 2 * 3 * 4).ToArray();
        var y = new float[2 * 4];
        var lse = new float[2];
        CausalAttention.Forward(y, lse, qkv, 1, 2, 4, 1);
        Assert.All(y, v => Assert.Equal(100f, v));
        var dqkv = new float[qkv.Length];
        CausalAttention.Backward(dqkv, Enumerable.Repeat(1f, 8).ToArray(), qkv, lse, 1, 2, 4, 1);
        Assert.All(dqkv, v => Assert.True(float.IsFinite(v)));
    }
}
