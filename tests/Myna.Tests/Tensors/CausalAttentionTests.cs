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
        float[] qkv = TestData.Floats(rng, batch * time * 3 * c, 2);
        var y = new float[batch * time * c];
        var att = new float[batch * heads * time * time];
        CausalAttention.Forward(y, att, qkv, batch, time, c, heads);
        TestData.AssertClose(ReferenceKernels.Attention(TestData.ToDouble(qkv), batch, time, c, heads), y, 1e-4, 1e-5, "y");
        // Rows of the saved weights are distributions over the causal prefix.
        for (int bh = 0; bh < batch * heads; bh++)
        for (int t = 0; t < time; t++)
        {
            var row = att.AsSpan((bh * time + t) * time, time);
            Assert.Equal(1.0, row.ToArray().Sum(v => (double)v), 5);
            for (int t2 = t + 1; t2 < time; t2++) Assert.Equal(0f, row[t2]);
        }
    }

    [Property(MaxTest = 12)]
    public void BackwardMatchesFiniteDifferences(int seed)
    {
        var rng = new Random(seed);
        int batch = rng.Next(1, 3), time = rng.Next(1, 7), heads = rng.Next(1, 3), c = heads * rng.Next(1, 19);
        float[] qkv = TestData.Floats(rng, batch * time * 3 * c, 2), dy = TestData.Floats(rng, batch * time * c);
        var y = new float[batch * time * c];
        var att = new float[batch * heads * time * time];
        CausalAttention.Forward(y, att, qkv, batch, time, c, heads);
        // Stale values in dqkv must be overwritten, not added to.
        float[] dqkv = TestData.Floats(rng, qkv.Length, 100);
        CausalAttention.Backward(dqkv, dy, qkv, att, batch, time, c, heads);
        double[] g = TestData.NumericalGradient(
            v => TestData.Project(ReferenceKernels.Attention(v, batch, time, c, heads), dy), TestData.ToDouble(qkv));
        TestData.AssertClose(g, dqkv, 1e-3, 1e-4, "dqkv");
    }

    [Fact]
    public void LargeScoresDoNotOverflow()
    {
        float[] qkv = Enumerable.Repeat(100f, 2 * 3 * 4).ToArray();
        var y = new float[2 * 4];
        var att = new float[2 * 2];
        CausalAttention.Forward(y, att, qkv, 1, 2, 4, 1);
        Assert.All(y, v => Assert.Equal(100f, v));
    }
}
