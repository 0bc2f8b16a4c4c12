using Myna.Models;
using Myna.Models.Layers;

namespace Myna.Tests.Models.Layers;

public class DropoutTests
{
    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    public void KeepsAboutOneMinusPAndScalesWhatItKeeps(float p)
    {
        const int n = 200_000;
        var values = Enumerable.Repeat(2f, n).ToArray();
        new Dropout(p, Dropout.KeyFor(1, 0)).Apply(values, Dropout.MlpSite(3));
        int kept = values.Count(v => v != 0);
        // Binomial(n, 1 − p): five standard deviations either way.
        double expected = n * (1 - p), sd = Math.Sqrt(n * p * (1 - p));
        Assert.InRange(kept, expected - 5 * sd, expected + 5 * sd);
        Assert.All(values, v => Assert.True(v == 0 || v == 2f / (1 - p), $"{v} is neither 0 nor 2 / (1 − p)"));
    }

    [Fact]
    public void TheBackwardMaskIsTheForwardMaskAndSitesAndKeysDiffer()
    {
        const int n = 10_000;
        var dropout = new Dropout(0.5f, Dropout.KeyFor(42, 9));
        var forward = Enumerable.Repeat(1f, n).ToArray();
        dropout.Apply(forward, Dropout.AttentionSite(0));
        var gradient = new float[n];
        dropout.Mask(gradient, Enumerable.Repeat(1f, n).ToArray(), Dropout.AttentionSite(0));
        Assert.Equal(forward, gradient);

        bool[] Pattern(Dropout d, int site) => [.. Enumerable.Range(0, n).Select(i => d.Keeps(site, i))];
        Assert.NotEqual(Pattern(dropout, Dropout.AttentionSite(0)), Pattern(dropout, Dropout.MlpSite(0)));
        Assert.NotEqual(Pattern(dropout, Dropout.AttentionSite(0)), Pattern(dropout, Dropout.AttentionSite(1)));
        Assert.NotEqual(Pattern(dropout, Dropout.EmbeddingSite), Pattern(new Dropout(0.5f, Dropout.KeyFor(42, 10)), Dropout.EmbeddingSite));
        Assert.NotEqual(Dropout.KeyFor(42, 9), Dropout.KeyFor(43, 9));
    }

    [Fact]
    public void NoDropoutLeavesTheTrainingForwardPassBitForBit()
    {
        var config = new GptConfig { VocabSize = 50, ContextLength = 8, EmbeddingSize = 16, HeadCount = 2, LayerCount = 2 };
        var model = new GptModel(config, 2, 8);
        model.InitializeRandom(3);
        var rng = new Random(5);
        int[] tokens = [.. Enumerable.Range(0, 16).Select(_ => rng.Next(50))], targets = [.. Enumerable.Range(0, 16).Select(_ => rng.Next(50))];

        float plain = model.Forward(tokens, targets);
        model.Backward();
        float[] plainGradients = model.Gradients.ToArray();
        model.ZeroGradients();
        float none = model.Forward(tokens, targets, new Dropout(0f, 12345));
        model.Backward();
        Assert.Equal(plain, none);
        Assert.Equal(plainGradients, model.Gradients.ToArray());

        model.ZeroGradients();
        float dropped = model.Forward(tokens, targets, new Dropout(0.2f, 12345));
        Assert.NotEqual(plain, dropped);
        // Evaluation never drops out, whatever the last training pass did.
        Assert.Equal(model.Loss(tokens, targets), plain, 6);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void ProbabilitiesOutsideZeroToOneAreRefused(double p)
    {
        var config = new GptConfig { VocabSize = 50, ContextLength = 8, EmbeddingSize = 16, HeadCount = 2, LayerCount = 1 };
        var model = new GptModel(config, 1, 8);
        var ids = new int[8];
        Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(ids, ids, new Dropout((float)p, 1)));
    }
}
