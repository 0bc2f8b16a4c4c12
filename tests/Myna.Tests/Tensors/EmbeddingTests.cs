using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class EmbeddingTests
{
    [Property(MaxTest = 20)]
    public void ForwardAddsTokenAndPositionRows(int seed)
    {
        var rng = new Random(seed);
        int batch = rng.Next(1, 4), time = rng.Next(1, 9), c = rng.Next(1, 70), vocab = rng.Next(1, 10);
        float[] wte = KernelTestData.Floats(rng, vocab * c), wpe = KernelTestData.Floats(rng, (time + 2) * c);
        int[] tokens = Enumerable.Range(0, batch * time).Select(_ => rng.Next(vocab)).ToArray();
        var y = new float[batch * time * c];
        Embedding.Forward(y, tokens, wte, wpe, batch, time, c);
        var expected = new double[y.Length];
        for (int bt = 0; bt < batch * time; bt++)
        for (int i = 0; i < c; i++) expected[bt * c + i] = (double)wte[tokens[bt] * c + i] + wpe[bt % time * c + i];
        KernelTestData.AssertClose(expected, y, 0, 1e-6, "y");
    }

    [Property(MaxTest = 10)]
    public void EveryTierAddsTheRowsExactly(int seed)
    {
        var rng = new Random(seed);
        int batch = rng.Next(1, 4), time = rng.Next(1, 9), c = rng.Next(1, 70), vocab = rng.Next(1, 10);
        float[] wte = KernelTestData.Floats(rng, vocab * c), wpe = KernelTestData.Floats(rng, time * c);
        int[] tokens = Enumerable.Range(0, batch * time).Select(_ => rng.Next(vocab)).ToArray();
        var expected = new float[batch * time * c];
        for (int bt = 0; bt < batch * time; bt++)
        for (int i = 0; i < c; i++) expected[bt * c + i] = wte[tokens[bt] * c + i] + wpe[bt % time * c + i];
        foreach (SimdTier tier in SimdTiers.Supported)
        {
            var y = new float[expected.Length];
            Embedding.Forward(y, tokens, wte, wpe, batch, time, c, tier);
            Assert.Equal(expected, y);
            var dwte = new float[wte.Length];
            var dwpe = new float[wpe.Length];
            Embedding.Backward(dwte, dwpe, y, tokens, batch, time, c, tier);
            var reference = new float[wte.Length];
            var referencePositions = new float[wpe.Length];
            Embedding.Backward(reference, referencePositions, y, tokens, batch, time, c);
            Assert.Equal(reference, dwte); // the same additions in the same order, whatever the width
            Assert.Equal(referencePositions, dwpe);
        }
    }

    [Property(MaxTest = 20)]
    public void BackwardScattersAndAccumulates(int seed)
    {
        var rng = new Random(seed);
        int batch = rng.Next(1, 4), time = rng.Next(1, 9), c = rng.Next(1, 150), vocab = rng.Next(1, 5);
        int[] tokens = Enumerable.Range(0, batch * time).Select(_ => rng.Next(vocab)).ToArray();
        float[] dy = KernelTestData.Floats(rng, batch * time * c);
        float[] dwte = KernelTestData.Floats(rng, vocab * c), dwpe = KernelTestData.Floats(rng, time * c);
        double[] expectedWte = KernelTestData.ToDouble(dwte), expectedWpe = KernelTestData.ToDouble(dwpe);
        for (int bt = 0; bt < batch * time; bt++)
        for (int i = 0; i < c; i++)
        {
            expectedWte[tokens[bt] * c + i] += dy[bt * c + i];
            expectedWpe[bt % time * c + i] += dy[bt * c + i];
        }
        Embedding.Backward(dwte, dwpe, dy, tokens, batch, time, c);
        KernelTestData.AssertClose(expectedWte, dwte, 1e-5, 1e-5, "dwte");
        KernelTestData.AssertClose(expectedWpe, dwpe, 1e-5, 1e-5, "dwpe");
    }

    [Fact]
    public void TokenOutsideVocabularyIsRejected()
    {
        var y = new float[4];
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => Embedding.Forward(y, [0, 3], new float[3 * 2], new float[2 * 2], 1, 2, 2));
        Assert.Contains("[0, 3)", error.Message);
    }
}
