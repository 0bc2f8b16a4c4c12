using Myna.Models;
using Myna.Models.Inference;

namespace Myna.Tests.Models.Inference;

/// <summary>The engine with its linear layers and head stored in f16 or int8 blocks.</summary>
public class GptInferencePrecisionTests
{
    // C = 48 and 4C = 192: the q8 blocks of 32 end inside a row, and rows are not multiples of the 16-lane vectors.
    private static readonly GptConfig Config = new() { VocabSize = 67, ContextLength = 20, EmbeddingSize = 48, HeadCount = 3, LayerCount = 2 };

    public static TheoryData<InferencePrecision> Precisions => new() { InferencePrecision.F32, InferencePrecision.F16, InferencePrecision.Int8 };

    private static GptWeights RandomWeights()
    {
        var model = new GptModel(Config, 1, 1);
        model.InitializeRandom(21);
        var weights = new GptWeights(Config);
        model.Parameters.CopyTo(weights.Values);
        var random = new Random(8);
        foreach (ParameterEntry entry in weights.Layout.Entries.Where(e => e.Shape.Length == 1))
        {
            Span<float> values = weights.Of(entry);
            for (int i = 0; i < values.Length; i++) values[i] += (float)(random.NextDouble() - 0.5) * 0.2f;
        }
        return weights;
    }

    private static int[] Tokens(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(Config.VocabSize)).ToArray();
    }

    /// <summary>
    /// Bit-identical at f32 and f16. At int8, decoding (fewer than 4 rows) quantises activations to q8 blocks like
    /// llama.cpp while longer prefills multiply f32 activations, so the two agree to 8-bit activation rounding.
    /// </summary>
    private static void AssertSame(InferencePrecision precision, ReadOnlySpan<float> expected, float[] actual)
    {
        if (precision != InferencePrecision.Int8)
        {
            Assert.Equal(expected.ToArray(), actual);
            return;
        }
        float spread = 0;
        foreach (float e in expected) spread = Math.Max(spread, Math.Abs(e));
        for (int i = 0; i < actual.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-2 * spread, $"[{i}] {expected[i]} vs {actual[i]}");
    }

    private static float[] AllPositions(GptInference engine, int[] tokens)
    {
        var logits = new float[tokens.Length * Config.VocabSize];
        engine.Forward([0], [tokens.Length], tokens, logits, allPositions: true);
        return logits;
    }

    [Theory]
    [MemberData(nameof(Precisions))]
    public void IncrementalDecodeEqualsRecomputation(InferencePrecision precision)
    {
        GptWeights weights = RandomWeights();
        int[] tokens = Tokens(Config.ContextLength, 1);
        int v = Config.VocabSize;
        float[] full = AllPositions(new GptInference(weights, 1, precision), tokens);

        var engine = new GptInference(weights, 1, precision);
        // (At int8 a 7-token prefill rounds its activations to q8, as decoding does, and a long prefill does not.)
        AssertSame(precision, full.AsSpan(6 * v, v), engine.Forward(0, tokens.AsSpan(0, 7)));
        for (int t = 7; t < tokens.Length; t++)
            AssertSame(precision, full.AsSpan(t * v, v), engine.Forward(0, tokens.AsSpan(t, 1)));
    }

    [Theory]
    [InlineData(InferencePrecision.F16, 2e-3)]
    [InlineData(InferencePrecision.Int8, 2e-2)]
    public void LogitsStayCloseToF32(InferencePrecision precision, double tolerance)
    {
        // Tolerance relative to the spread of the f32 logits: f16 keeps 11 significant bits, q8 about 8.
        GptWeights weights = RandomWeights();
        int[] tokens = Tokens(Config.ContextLength, 2);
        float[] exact = AllPositions(new GptInference(weights, 1, InferencePrecision.F32), tokens);
        float[] reduced = AllPositions(new GptInference(weights, 1, precision), tokens);
        double spread = exact.Max() - exact.Min(), worst = 0;
        for (int i = 0; i < exact.Length; i++) worst = Math.Max(worst, Math.Abs(exact[i] - reduced[i]));
        Assert.True(worst <= tolerance * spread, $"{precision}: worst difference {worst} vs spread {spread}");
        Assert.True(worst > 0, "a reduced precision that changes nothing is not reducing anything");
    }

    [Theory]
    [MemberData(nameof(Precisions))]
    public void BatchedDecodeEqualsDecodingEachAlone(InferencePrecision precision)
    {
        GptWeights weights = RandomWeights();
        int[][] prompts = [Tokens(3, 3), Tokens(9, 4), Tokens(1, 5), Tokens(5, 6), Tokens(2, 7)];
        int v = Config.VocabSize, s = prompts.Length;
        int[] next = Tokens(s, 8);
        var batched = new GptInference(weights, s, precision);
        for (int i = 0; i < s; i++) batched.Forward(i, prompts[i]);
        var logits = new float[s * v];
        batched.Forward(Enumerable.Range(0, s).ToArray(), Enumerable.Repeat(1, s).ToArray(), next, logits);
        for (int i = 0; i < s; i++)
        {
            var alone = new GptInference(weights, 1, precision);
            alone.Forward(0, prompts[i]);
            AssertSame(precision, logits.AsSpan(i * v, v), alone.Forward(0, [next[i]]));
        }
    }

    [Fact]
    public void ReducedPrecisionsStoreFewerBytes()
    {
        GptWeights weights = RandomWeights();
        long f32 = new GptInference(weights, 1, InferencePrecision.F32).WeightBytes;
        Assert.Equal(f32 / 2, new GptInference(weights, 1, InferencePrecision.F16).WeightBytes);
        Assert.True(new GptInference(weights, 1, InferencePrecision.Int8).WeightBytes < f32 * 0.3);
    }
}
