using Myna.Models;
using Myna.Models.Layers;

namespace Myna.Tests.Models;

public class GptModelTests
{
    // The brief's tiny model: 2 layers, 2 heads, n_embd 16, vocab 64, T 8, B 2.
    private static readonly GptConfig TinyConfig = new()
    {
        VocabSize = 64, ContextLength = 8, EmbeddingSize = 16, HeadCount = 2, LayerCount = 2,
    };

    private const int Batch = 2, Time = 8;

    [Fact]
    public void ForwardMatchesDoublePrecisionReference()
    {
        var (model, tokens, targets) = Build(TinyConfig, 11);
        var reference = new ReferenceGpt(TinyConfig, model.Layout);
        double[] p = Array.ConvertAll(model.Parameters.ToArray(), v => (double)v);
        double[] expectedLogits = reference.Logits(p, tokens, Batch, Time);
        Tensors.KernelTestData.AssertClose(expectedLogits, model.ForwardLogits(tokens), 1e-4, 1e-5, "logits");
        Assert.Equal(reference.Loss(p, tokens, targets, Batch, Time), model.Forward(tokens, targets), 1e-5);

        // The evaluation loss agrees and keeps the logits; ignored targets drop out of the mean.
        Assert.Equal(model.Forward(tokens, targets), model.Loss(tokens, targets), 1e-6);
        Tensors.KernelTestData.AssertClose(expectedLogits, model.Activations.Logits, 1e-4, 1e-5, "logits after Loss");
        int[] someIgnored = (int[])targets.Clone();
        someIgnored[0] = GptModel.IgnoreIndex;
        someIgnored[5] = GptModel.IgnoreIndex;
        double[] rowLosses = Tensors.KernelReference.CrossEntropy(expectedLogits, someIgnored, Batch * Time, TinyConfig.VocabSize);
        Assert.Equal(rowLosses.Sum() / (Batch * Time - 2), model.Loss(tokens, someIgnored), 1e-5);
        Assert.Equal(rowLosses.Sum() / (Batch * Time - 2), model.Forward(tokens, someIgnored), 1e-5);
        Assert.True(float.IsNaN(model.Loss(tokens, Enumerable.Repeat(GptModel.IgnoreIndex, Batch * Time).ToArray())));
    }

    /// <summary>
    /// Every parameter tensor's analytic float gradient against central finite differences (step 1e-5) of the
    /// double-precision reference loss, on every element of small tensors and 40 spread-out elements of larger ones
    /// (the slow reference makes all 7.7K elements cost ~10 s). Bound, per element:
    /// |analytic − numeric| ≤ 1e-4·(|numeric| + max|numeric over the tensor|) + 1e-8.
    /// Observed worst error / (|numeric| + max) is about 7e-7 (float rounding), so the bound has ~150× headroom.
    /// </summary>
    [Theory]
    [InlineData(true, 0f)]
    [InlineData(false, 0f)]
    [InlineData(true, 0.3f)] // dropout: the reference applies the same masks, so the loss is the same function of p
    [InlineData(false, 0.3f)]
    public void EveryGradientMatchesFiniteDifferences(bool tied, float dropoutProbability)
    {
        GptConfig config = TinyConfig with { TiedEmbeddings = tied };
        var (model, tokens, targets) = Build(config, 5);
        var dropout = new Dropout(dropoutProbability, Dropout.KeyFor(7, 3));
        model.ZeroGradients();
        float loss = model.Forward(tokens, targets, dropout);
        model.Backward();

        var reference = new ReferenceGpt(config, model.Layout);
        double[] p = Array.ConvertAll(model.Parameters.ToArray(), v => (double)v);
        Assert.Equal(reference.Loss(p, tokens, targets, Batch, Time, dropout), loss, 1e-5);
        const double step = 1e-5;
        var failures = new List<string>();
        double worst = 0;
        foreach (ParameterEntry entry in model.Layout.Entries)
        {
            int[] checkedIndices = SampleIndices(entry.Length, 40);
            var numeric = new double[checkedIndices.Length];
            for (int j = 0; j < checkedIndices.Length; j++)
            {
                int k = entry.Offset + checkedIndices[j];
                double saved = p[k];
                p[k] = saved + step;
                double plus = reference.Loss(p, tokens, targets, Batch, Time, dropout);
                p[k] = saved - step;
                double minus = reference.Loss(p, tokens, targets, Batch, Time, dropout);
                p[k] = saved;
                numeric[j] = (plus - minus) / (2 * step);
            }
            double scale = numeric.Max(Math.Abs);
            Assert.True(scale > 0 || entry.Name.StartsWith("wte", StringComparison.Ordinal), $"{entry.Name} has an all-zero gradient");
            ReadOnlySpan<float> analytic = model.Gradient(entry);
            for (int j = 0; j < checkedIndices.Length; j++)
            {
                int i = checkedIndices[j];
                double error = Math.Abs(analytic[i] - numeric[j]);
                worst = Math.Max(worst, error / (Math.Abs(numeric[j]) + scale + 1e-7));
                if (error > 1e-4 * (Math.Abs(numeric[j]) + scale) + 1e-8)
                {
                    failures.Add($"{entry.Name}[{i}]: analytic {analytic[i]:E4}, numeric {numeric[j]:E4}");
                    break;
                }
            }
        }
        Assert.True(failures.Count == 0, $"worst normalised error {worst:E2}\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// Shapes that exercise every SIMD block size (head size 80 = 64 + 16, 4C = 320, T = 17 over two vectors):
    /// logits against the reference, and 2 spread-out elements of every gradient against central differences
    /// with the bound of <see cref="EveryGradientMatchesFiniteDifferences"/> (more would cost seconds of reference runs).
    /// </summary>
    [Fact]
    public void WiderModelMatchesReferenceOnLogitsAndSampledGradients()
    {
        var config = new GptConfig { VocabSize = 97, ContextLength = 24, EmbeddingSize = 80, HeadCount = 1, LayerCount = 2 };
        const int batch = 1, time = 17;
        var model = new GptModel(config, batch, time);
        var rng = new Random(23);
        foreach (ParameterEntry entry in model.Layout.Entries)
        {
            Span<float> values = model.Parameter(entry);
            for (int i = 0; i < values.Length; i++)
                values[i] = entry.Role == ParameterRole.NormWeight ? 1f + 0.1f * (float)rng.NextDouble() : 0.15f * (float)(rng.NextDouble() * 2 - 1);
        }
        int[] stream = Enumerable.Range(0, batch * time + 1).Select(_ => rng.Next(config.VocabSize)).ToArray();
        int[] tokens = stream[..(batch * time)], targets = stream[1..];
        var reference = new ReferenceGpt(config, model.Layout);
        double[] p = Array.ConvertAll(model.Parameters.ToArray(), v => (double)v);
        Tensors.KernelTestData.AssertClose(reference.Logits(p, tokens, batch, time), model.ForwardLogits(tokens), 1e-4, 1e-5, "logits");

        model.ZeroGradients();
        model.Forward(tokens, targets);
        model.Backward();
        foreach (ParameterEntry entry in model.Layout.Entries)
        {
            int[] indices = [0, entry.Length / 2 + 1 < entry.Length ? entry.Length / 2 + 1 : 0];
            ReadOnlySpan<float> analytic = model.Gradient(entry);
            double scale = 0;
            var numeric = new double[indices.Length];
            for (int j = 0; j < indices.Length; j++)
            {
                int k = entry.Offset + indices[j];
                double saved = p[k];
                p[k] = saved + 1e-5;
                double plus = reference.Loss(p, tokens, targets, batch, time);
                p[k] = saved - 1e-5;
                double minus = reference.Loss(p, tokens, targets, batch, time);
                p[k] = saved;
                numeric[j] = (plus - minus) / 2e-5;
                scale = Math.Max(scale, Math.Abs(numeric[j]));
            }
            for (int j = 0; j < indices.Length; j++)
            {
                double error = Math.Abs(analytic[indices[j]] - numeric[j]);
                Assert.True(error <= 1e-4 * (Math.Abs(numeric[j]) + scale) + 1e-8,
                    $"{entry.Name}[{indices[j]}]: analytic {analytic[indices[j]]:E4}, numeric {numeric[j]:E4}");
            }
        }
    }

    [Fact]
    public void BackwardAccumulatesAcrossCalls()
    {
        var (model, tokens, targets) = Build(TinyConfig, 3);
        model.ZeroGradients();
        model.Forward(tokens, targets);
        model.Backward();
        float[] once = model.Gradients.ToArray();
        model.Forward(tokens, targets);
        model.Backward();
        float[] twice = model.Gradients.ToArray();
        for (int i = 0; i < once.Length; i++) Assert.Equal(2 * once[i], twice[i], Math.Abs(once[i]) * 1e-4 + 1e-7);
    }

    [Fact]
    public void OverfitsOneBatch()
    {
        var model = new GptModel(TinyConfig, Batch, Time);
        model.InitializeRandom(42);
        var (tokens, targets) = Batches(new Random(1), TinyConfig.VocabSize);
        var optimizer = new AdamW(model);
        float loss = float.NaN;
        for (int step = 0; step < 300; step++)
        {
            model.ZeroGradients();
            loss = model.Forward(tokens, targets);
            model.Backward();
            model.ClipGradients(1f);
            optimizer.Step(1e-2f, 0.9f, 0.95f, 1e-8f, 0f);
            if (loss < 0.05f) break;
        }
        Assert.True(loss < 0.05f, $"loss after training is {loss}");
    }

    [Fact]
    public void SameSeedGivesBitIdenticalLossTrajectory()
    {
        float[] first = Trajectory(), second = Trajectory();
        Assert.Equal(first, second);

        static float[] Trajectory()
        {
            var model = new GptModel(TinyConfig, Batch, Time);
            model.InitializeRandom(1234);
            var optimizer = new AdamW(model);
            var rng = new Random(99);
            var losses = new float[12];
            for (int step = 0; step < losses.Length; step++)
            {
                var (tokens, targets) = Batches(rng, TinyConfig.VocabSize);
                model.ZeroGradients();
                losses[step] = model.Forward(tokens, targets);
                model.Backward();
                model.ClipGradients(1f);
                optimizer.Step(3e-3f, 0.9f, 0.95f, 1e-8f, 0.1f);
            }
            return losses;
        }
    }

    [Fact]
    public void InitializationFollowsGpt2()
    {
        var config = new GptConfig { VocabSize = 500, ContextLength = 64, EmbeddingSize = 64, HeadCount = 4, LayerCount = 3 };
        var model = new GptModel(config, 1, 4);
        model.InitializeRandom(7);
        ParameterLayout layout = model.Layout;
        Assert.All(model.Parameter(layout["h.0.ln_1.weight"]).ToArray(), v => Assert.Equal(1f, v));
        Assert.All(model.Parameter(layout["h.2.mlp.c_fc.bias"]).ToArray(), v => Assert.Equal(0f, v));
        Assert.Equal(0.02, Std(model.Parameter(layout["wte.weight"])), 0.001);
        Assert.Equal(0.02, Std(model.Parameter(layout["h.1.mlp.c_fc.weight"])), 0.001);
        Assert.Equal(0.02 / Math.Sqrt(6), Std(model.Parameter(layout["h.1.mlp.c_proj.weight"])), 0.0005);

        var again = new GptModel(config, 1, 4);
        again.InitializeRandom(7);
        Assert.True(model.Parameters.SequenceEqual(again.Parameters));
        again.InitializeRandom(8);
        Assert.False(model.Parameters.SequenceEqual(again.Parameters));

        static double Std(ReadOnlySpan<float> values)
        {
            double sum = 0, squares = 0;
            foreach (float v in values) { sum += v; squares += (double)v * v; }
            double mean = sum / values.Length;
            return Math.Sqrt(squares / values.Length - mean * mean);
        }
    }

    [Fact]
    public void InitialValuesAreTheCounterStreamAtTheirArenaIndex()
    {
        // Odd sizes put wpe at an odd offset, splitting a Box–Muller pair across two tensors.
        var config = new GptConfig { VocabSize = 7, ContextLength = 5, EmbeddingSize = 3, HeadCount = 1, LayerCount = 1 };
        var model = new GptModel(config, 1, 5);
        model.InitializeRandom(99);
        foreach (string name in new[] { "wte.weight", "wpe.weight", "h.0.attn.c_attn.weight", "h.0.mlp.c_proj.weight" })
        {
            ParameterEntry entry = model.Layout[name];
            double std = entry.Role == ParameterRole.ResidualProjection ? 0.02 / Math.Sqrt(2) : 0.02;
            for (int i = 0; i < entry.Length; i++)
                Assert.Equal((float)(std * CounterRandom.Normal(99, (ulong)(entry.Offset + i))), model.Parameter(entry)[i]);
        }
        Assert.Equal(21, model.Layout["wpe.weight"].Offset);
    }

    [Fact]
    public void Gpt2SmallLayoutHas124MParametersWithHfNamesAndShapes()
    {
        ParameterLayout layout = ParameterLayout.ForConfig(GptConfig.Gpt2Small);
        Assert.Equal(124_439_808, layout.TotalLength);
        Assert.Equal(2 + 12 * 12 + 2, layout.Entries.Count);
        Assert.Equal([768, 2304], layout["transformer.h.0.attn.c_attn.weight"].Shape);
        Assert.Equal([3072, 768], layout["h.11.mlp.c_proj.weight"].Shape);
        Assert.Equal([50257, 768], layout["wte.weight"].Shape);
        Assert.Same(layout.TokenEmbedding, layout.LanguageModelHead);
        Assert.True(layout["h.3.mlp.c_fc.weight"].Decays);
        Assert.False(layout["h.3.mlp.c_fc.bias"].Decays);
        Assert.False(layout["ln_f.weight"].Decays);
    }

    [Fact]
    public void InvalidConfigurationsAndInputsSayWhatIsWrong()
    {
        var error = Assert.Throws<ArgumentException>(() => new GptModel(TinyConfig with { HeadCount = 3 }, 1, 1));
        Assert.Contains("multiple of HeadCount", error.Message);
        Assert.Throws<ArgumentException>(() => new GptModel(TinyConfig with { LayerCount = 0 }, 1, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GptModel(TinyConfig, 1, TinyConfig.ContextLength + 1));
        Assert.Throws<ArgumentException>(() => GptConfig.FromPreset("huge"));

        // A single-token sequence is a valid (degenerate) batch.
        var single = new GptModel(TinyConfig, 3, 1);
        single.InitializeRandom(1);
        Assert.True(float.IsFinite(single.Forward([1, 2, 3], [4, 5, 6])));
        single.Backward();
        Assert.True(float.IsFinite(single.GradientNorm()));

        var model = new GptModel(TinyConfig, 1, 2);
        Assert.Throws<ArgumentException>(() => model.ForwardLogits([1, 2, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.ForwardLogits([1, 64]));
        Assert.Throws<InvalidOperationException>(model.Backward);
    }

    private static (GptModel Model, int[] Tokens, int[] Targets) Build(GptConfig config, int seed)
    {
        var model = new GptModel(config, Batch, Time);
        // Parameters far from GPT-2's small init so every path carries a sizeable gradient.
        var rng = new Random(seed);
        foreach (ParameterEntry entry in model.Layout.Entries)
        {
            Span<float> values = model.Parameter(entry);
            for (int i = 0; i < values.Length; i++)
            {
                double noise = rng.NextDouble() * 2 - 1;
                values[i] = entry.Role switch
                {
                    ParameterRole.NormWeight => (float)(1 + 0.2 * noise),
                    ParameterRole.Bias or ParameterRole.NormBias => (float)(0.1 * noise),
                    _ => (float)(0.3 * noise),
                };
            }
        }
        var (tokens, targets) = Batches(rng, config.VocabSize);
        return (model, tokens, targets);
    }

    // Every index when there are at most twice the budget, else the budget's worth spread over the whole tensor
    // (a stride coprime with most shapes, so rows and columns both vary).
    private static int[] SampleIndices(int length, int budget)
    {
        if (length <= 2 * budget) return Enumerable.Range(0, length).ToArray();
        return Enumerable.Range(0, budget).Select(j => (int)((long)j * 7919 % length)).Distinct().ToArray();
    }

    private static (int[] Tokens, int[] Targets) Batches(Random rng, int vocab)
    {
        int[] stream = Enumerable.Range(0, Batch * Time + 1).Select(_ => rng.Next(vocab)).ToArray();
        return (stream[..(Batch * Time)], stream[1..]);
    }
}
