using Myna.Models;
using Myna.Models.Inference;

namespace Myna.Tests.Models.Inference;

public class GptInferenceTests
{
    private static readonly GptConfig Config = new() { VocabSize = 61, ContextLength = 24, EmbeddingSize = 16, HeadCount = 2, LayerCount = 2 };
    private const float Tolerance = 2e-5f;

    private static GptWeights RandomWeights()
    {
        var model = new GptModel(Config, 1, 1);
        model.InitializeRandom(11);
        var weights = new GptWeights(Config);
        model.Parameters.CopyTo(weights.Values);
        // Non-zero biases and gains so every parameter matters.
        var random = new Random(5);
        foreach (ParameterEntry entry in weights.Layout.Entries)
        {
            if (entry.Shape.Length == 1)
            {
                Span<float> values = weights.Of(entry);
                for (int i = 0; i < values.Length; i++) values[i] += (float)(random.NextDouble() - 0.5) * 0.2f;
            }
        }
        return weights;
    }

    private static float[] FullLogits(GptWeights weights, int[] tokens)
    {
        var model = new GptModel(Config, 1, tokens.Length);
        weights.Values.CopyTo(model.Parameters);
        return model.ForwardLogits(tokens).ToArray();
    }

    private static int[] Tokens(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(Config.VocabSize)).ToArray();
    }

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= Tolerance * (1 + Math.Abs(expected[i])), $"index {i}: {expected[i]} vs {actual[i]}");
    }

    [Fact]
    public void IncrementalDecodeEqualsFullRecomputation()
    {
        GptWeights weights = RandomWeights();
        int[] tokens = Tokens(Config.ContextLength, 1);
        float[] full = FullLogits(weights, tokens);
        int v = Config.VocabSize;

        var engine = new GptInference(weights);
        float[] afterPrompt = engine.Forward(0, tokens.AsSpan(0, 5));
        AssertClose(full.AsSpan(4 * v, v), afterPrompt);
        for (int t = 5; t < tokens.Length; t++)
        {
            float[] step = engine.Forward(0, tokens.AsSpan(t, 1));
            AssertClose(full.AsSpan(t * v, v), step);
        }
        Assert.Equal(Config.ContextLength, engine.Length(0));
    }

    [Fact]
    public void AllPositionLogitsOfAPrefillEqualTheTrainingForward()
    {
        GptWeights weights = RandomWeights();
        int[] tokens = Tokens(13, 2);
        var logits = new float[tokens.Length * Config.VocabSize];
        new GptInference(weights).Forward([0], [tokens.Length], tokens, logits, allPositions: true);
        AssertClose(FullLogits(weights, tokens), logits);
    }

    [Fact]
    public void BatchedDecodeOfSequencesWithDifferentLengthsEqualsDecodingEachAlone()
    {
        GptWeights weights = RandomWeights();
        int[][] prompts = [Tokens(3, 3), Tokens(9, 4), Tokens(1, 5)];
        int[] next = [7, 8, 9];
        int v = Config.VocabSize;

        var batched = new GptInference(weights, maxSequences: 3);
        for (int s = 0; s < 3; s++) batched.Forward(s, prompts[s]);
        var logits = new float[3 * v];
        batched.Forward([0, 1, 2], [1, 1, 1], next, logits);

        for (int s = 0; s < 3; s++)
        {
            var alone = new GptInference(weights);
            alone.Forward(0, prompts[s]);
            AssertClose(alone.Forward(0, [next[s]]), logits.AsSpan(s * v, v));
        }
    }

    [Fact]
    public void AChunkWithoutLogitsStillFillsItsCacheAndLeavesTheOtherRowsAlone()
    {
        // Sequence 0 decodes while sequence 1 is fed the first part of a prompt with no logits row: the rows that come
        // back are sequence 0's and nothing else, equal to a call without the prompt chunk, and sequence 1 then
        // continues exactly as if it had been fed the whole prompt at once.
        GptWeights weights = RandomWeights();
        int v = Config.VocabSize;
        int[] prompt = Tokens(8, 8), first = prompt[..5], rest = prompt[5..];

        var engine = new GptInference(weights, maxSequences: 2);
        engine.Forward(0, Tokens(4, 9));
        var logits = new float[2 * v];
        Array.Fill(logits, float.NaN);
        engine.Forward([0, 1], [1, first.Length], [7, .. first], logits, noLogitsOf: [false, true]);
        Assert.True(float.IsNaN(logits[v]), "the chunk without logits got a row");

        var reference = new GptInference(weights);
        reference.Forward(0, Tokens(4, 9));
        AssertClose(reference.Forward(0, [7]), logits.AsSpan(0, v));

        var whole = new GptInference(weights);
        AssertClose(whole.Forward(0, prompt), engine.Forward(1, rest));
    }

    [Fact]
    public void NoLogitsFlagsThatContradictTheCallAreClearErrors()
    {
        var engine = new GptInference(RandomWeights(), maxSequences: 2);
        var logits = new float[2 * Config.VocabSize * 3];
        Assert.Contains("one flag per chunk", Assert.Throws<ArgumentException>(() => engine.Forward([0, 1], [1, 1], [1, 2], logits, noLogitsOf: [true])).Message);
        Assert.Contains("allPositions", Assert.Throws<ArgumentException>(() => engine.Forward([0], [2], [1, 2], logits, allPositions: true, noLogitsOf: [true])).Message);
        Assert.Contains("for none", Assert.Throws<ArgumentException>(() => engine.Forward([0], [2], [1, 2], logits, everyPositionOf: [true], noLogitsOf: [true])).Message);
    }

    [Fact]
    public void CopiedSequenceContinuesLikeTheOriginal()
    {
        GptWeights weights = RandomWeights();
        var engine = new GptInference(weights, maxSequences: 2);
        engine.Forward(0, Tokens(6, 6));
        engine.CopySequence(0, 1);
        Assert.Equal(engine.Forward(0, [3]), engine.Forward(1, [3]));
    }

    [Fact]
    public void ContextOverflowAndBadTokensAreClearErrors()
    {
        var engine = new GptInference(RandomWeights());
        engine.Forward(0, Tokens(Config.ContextLength, 7));
        Assert.Contains("context", Assert.Throws<InvalidOperationException>(() => engine.Forward(0, [1])).Message);
        engine.Reset(0);
        Assert.Contains("vocabulary", Assert.Throws<ArgumentException>(() => engine.Forward(0, [Config.VocabSize])).Message);
    }
}
