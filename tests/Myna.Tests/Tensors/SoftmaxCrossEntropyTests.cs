using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class SoftmaxCrossEntropyTests
{
    [Property(MaxTest = 20)]
    public void LossAndGradientMatchDoubleReference(int seed)
    {
        var rng = new Random(seed);
        int rows = rng.Next(1, 8), vocab = rng.Next(1, 300);
        float[] logits = KernelTestData.Floats(rng, rows * vocab, 8);
        int[] targets = Enumerable.Range(0, rows).Select(_ => rng.Next(vocab)).ToArray();
        if (rows > 1) targets[rng.Next(rows)] = -100;
        float scale = 1f / rows;

        var losses = new float[rows];
        var dlogits = new float[rows * vocab];
        SoftmaxCrossEntropy.ForwardBackward(losses, dlogits, logits, targets, rows, vocab, scale);
        double[] expected = KernelReference.CrossEntropy(KernelTestData.ToDouble(logits), targets, rows, vocab);
        KernelTestData.AssertClose(expected, losses, 1e-5, 1e-5, "losses");

        double[] g = KernelTestData.NumericalGradient(
            v => KernelReference.CrossEntropy(v, targets, rows, vocab).Sum() * scale, KernelTestData.ToDouble(logits));
        KernelTestData.AssertClose(g, dlogits, 1e-4, 1e-6, "dlogits");

        var lossOnly = new float[rows];
        SoftmaxCrossEntropy.Forward(lossOnly, logits, targets, rows, vocab);
        KernelTestData.AssertClose(expected, lossOnly, 1e-5, 1e-5, "loss-only");

        // In place: the gradient overwrites the logits with the same values.
        var inPlace = (float[])logits.Clone();
        SoftmaxCrossEntropy.ForwardBackward(losses, inPlace, inPlace, targets, rows, vocab, scale);
        Assert.Equal(dlogits, inPlace);
    }

    [Fact]
    public void GptVocabularyRowIsStable()
    {
        const int vocab = 50257;
        var rng = new Random(7);
        float[] logits = KernelTestData.Floats(rng, 2 * vocab, 30);
        logits[5] = 500f; // far beyond exp's float range without the max shift
        int[] targets = [5, vocab - 1];
        var losses = new float[2];
        var dlogits = new float[logits.Length];
        SoftmaxCrossEntropy.ForwardBackward(losses, dlogits, logits, targets, 2, vocab, 1f);
        double[] expected = KernelReference.CrossEntropy(KernelTestData.ToDouble(logits), targets, 2, vocab);
        KernelTestData.AssertClose(expected, losses, 1e-5, 1e-4, "losses");
        // Each gradient row sums to zero (softmax minus one-hot).
        Assert.Equal(0.0, dlogits.AsSpan(0, vocab).ToArray().Sum(v => (double)v), 4);
        Assert.Equal(0.0, dlogits.AsSpan(vocab, vocab).ToArray().Sum(v => (double)v), 4);
    }

    [Fact]
    public void TargetOutsideVocabularyIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => SoftmaxCrossEntropy.Forward(new float[1], new float[4], [4], 1, 4));
        Assert.Contains("[0, 4)", error.Message);
    }
}
