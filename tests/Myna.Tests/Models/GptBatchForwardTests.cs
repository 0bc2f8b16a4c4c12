using Myna.Models;

namespace Myna.Tests.Models;

public class GptBatchForwardTests
{
    private static readonly GptConfig Config = new()
    {
        VocabSize = 64, ContextLength = 12, EmbeddingSize = 16, HeadCount = 2, LayerCount = 2,
    };

    private const int Batch = 3, Time = 12;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void ScoredRowsMatchTheDoublePrecisionReferenceAndOthersAreZero(bool tied)
    {
        GptConfig config = Config with { TiedEmbeddings = tied };
        GptWeights weights = RandomWeights(config, 7);
        var rng = new Random(3);
        int[] tokens = Enumerable.Range(0, Batch * Time).Select(_ => rng.Next(config.VocabSize)).ToArray();
        int[] targets = Enumerable.Range(0, Batch * Time).Select(i => i % 3 == 1 ? GptModel.IgnoreIndex : rng.Next(config.VocabSize)).ToArray();

        var reference = new ReferenceGpt(config, weights.Layout);
        double[] p = Array.ConvertAll(weights.Values, v => (double)v);
        double[] expected = Tensors.KernelReference.CrossEntropy(reference.Logits(p, tokens, Batch, Time), targets, Batch * Time, config.VocabSize);

        // A budget of 5 rows of logits: the head runs in several chunks, the last one short.
        foreach (int budget in new[] { 5 * config.VocabSize, 1 << 20 })
        {
            var forward = new GptBatchForward(weights, Batch, Time, budget);
            var losses = new float[Batch * Time];
            forward.Losses(tokens, targets, losses, Batch);
            for (int i = 0; i < losses.Length; i++)
            {
                if (targets[i] == GptModel.IgnoreIndex) Assert.Equal(0f, losses[i]);
                else Assert.True(Math.Abs(losses[i] - expected[i]) <= 1e-5 * (1 + expected[i]), $"row {i}: {losses[i]} vs {expected[i]} (budget {budget})");
            }
        }
    }

    [Fact]
    public void MatchesTheTrainingForwardRowByRowAndAShortBatchMatchesTheFullOne()
    {
        GptWeights weights = RandomWeights(Config, 9);
        var rng = new Random(4);
        int[] tokens = Enumerable.Range(0, Batch * Time).Select(_ => rng.Next(Config.VocabSize)).ToArray();
        int[] targets = Enumerable.Range(0, Batch * Time).Select(_ => rng.Next(Config.VocabSize)).ToArray();
        var model = new GptModel(Config, Batch, Time);
        weights.Values.CopyTo(model.Parameters);
        model.Loss(tokens, targets);
        float[] training = model.Activations.Losses.ToArray();

        var forward = new GptBatchForward(weights, Batch, Time);
        var losses = new float[Batch * Time];
        forward.Losses(tokens, targets, losses, Batch);
        for (int i = 0; i < losses.Length; i++) Assert.Equal(training[i], losses[i], 5);

        // The first sequence alone: sequences do not see each other, so its losses change only by the rounding of GEMMs
        // blocked for fewer rows.
        var alone = new float[Time];
        forward.Losses(tokens.AsSpan(0, Time), targets.AsSpan(0, Time), alone, 1);
        for (int i = 0; i < Time; i++) Assert.True(Math.Abs(losses[i] - alone[i]) <= 1e-6 * (1 + losses[i]), $"row {i}: {alone[i]} vs {losses[i]}");
    }

    [Fact]
    public void BadArgumentsAreClearErrors()
    {
        var forward = new GptBatchForward(RandomWeights(Config, 1), Batch, Time);
        int[] ids = new int[Batch * Time];
        var losses = new float[Batch * Time];
        Assert.Throws<ArgumentOutOfRangeException>(() => forward.Losses(ids, ids, losses, Batch + 1));
        Assert.Throws<ArgumentException>(() => forward.Losses(ids.AsSpan(1), ids, losses, Batch));
        int[] badTargets = (int[])ids.Clone();
        badTargets[4] = Config.VocabSize;
        Assert.Throws<ArgumentOutOfRangeException>(() => forward.Losses(ids, badTargets, losses, Batch));
        Assert.Throws<ArgumentOutOfRangeException>(() => new GptBatchForward(RandomWeights(Config, 1), 1, Config.ContextLength + 1));
    }

    private static GptWeights RandomWeights(GptConfig config, int seed)
    {
        var weights = new GptWeights(config);
        var rng = new Random(seed);
        foreach (ParameterEntry entry in weights.Layout.Entries)
        {
            Span<float> values = weights.Of(entry);
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
        return weights;
    }
}
