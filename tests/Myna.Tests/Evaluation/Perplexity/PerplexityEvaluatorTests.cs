using Myna.Evaluation.Perplexity;
using Myna.Models.Perplexity;
using Myna.Generation;
using Myna.Models;
using Myna.Tests.Generation;

namespace Myna.Tests.Evaluation.Perplexity;

public class PerplexityEvaluatorTests(TinyModelDirectory directory) : IClassFixture<TinyModelDirectory>
{
    private static int[] Tokens(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(256)).ToArray();
    }

    /// <summary>−ln p(tokens[^1] | tokens[..^1]) from the training forward pass, an independent path.</summary>
    private static double ReferenceLoss(GptLanguageModel model, ReadOnlySpan<int> context, int next)
    {
        var gpt = new GptModel(model.Config, 1, context.Length);
        model.Weights.Values.CopyTo(gpt.Parameters);
        ReadOnlySpan<float> logits = gpt.ForwardLogits(context);
        ReadOnlySpan<float> last = logits.Slice((context.Length - 1) * model.Config.VocabSize, model.Config.VocabSize);
        double max = double.NegativeInfinity, sum = 0;
        foreach (float v in last) max = Math.Max(max, v);
        foreach (float v in last) sum += Math.Exp(v - max);
        return -(last[next] - max - Math.Log(sum));
    }

    [Fact]
    public void OneWindowEqualsTheMeanCrossEntropyOfTheTrainingForward()
    {
        var model = GptLanguageModel.FromPretrained(directory.Path);
        int[] tokens = Tokens(40, 1);
        PerplexityResult result = PerplexityEvaluator.Evaluate(model, tokens);

        var gpt = new GptModel(model.Config, 1, tokens.Length - 1);
        model.Weights.Values.CopyTo(gpt.Parameters);
        float loss = gpt.Forward(tokens.AsSpan(0, tokens.Length - 1), tokens.AsSpan(1));
        Assert.Equal(tokens.Length - 1, result.Tokens);
        Assert.Equal(loss, result.MeanLoss, 4);
        Assert.Equal(1.0, result.Perplexity / Math.Exp(loss), 4);
    }

    [Fact]
    public void SlidingWindowScoresEveryTokenOnceWithTheStatedContext()
    {
        var model = GptLanguageModel.FromPretrained(directory.Path);
        int context = model.Config.ContextLength;
        int[] tokens = Tokens(context * 2 + 9, 2);
        const int window = 16;

        // Stride 1: token p is predicted from exactly the window − 1 tokens before it (or all of them early on).
        PerplexityResult result = PerplexityEvaluator.Evaluate(model, tokens, stride: 1, window: window);
        double expected = 0;
        for (int p = 1; p < tokens.Length; p++)
        {
            int start = Math.Max(0, p - (window - 1));
            expected += ReferenceLoss(model, tokens.AsSpan(start, p - start), tokens[p]);
        }
        Assert.Equal(tokens.Length - 1, result.Tokens);
        Assert.Equal(expected / (tokens.Length - 1), result.MeanLoss, 4);
    }

    [Fact]
    public void StrideAndWindowCombinationsScoreTheSameTokens()
    {
        var model = GptLanguageModel.FromPretrained(directory.Path);
        int[] tokens = Tokens(150, 3);
        foreach ((int stride, int window) in new[] { (64, 64), (32, 64), (7, 20), (1, 2) })
        {
            PerplexityResult result = PerplexityEvaluator.Evaluate(model, tokens, stride, window);
            Assert.Equal(tokens.Length - 1, result.Tokens);
            Assert.True(double.IsFinite(result.Perplexity));
        }
    }

    /// <summary>
    /// The batched training forward (what f32 evaluation runs) and the inference engine window by window score the same
    /// tokens with the same context, so they agree to float rounding: the windows of a stride equal to the window (whose
    /// last window is short, padded in the batched pass), overlapping ones, stride 1, and a text shorter than the window.
    /// </summary>
    [Theory]
    [InlineData(64, 64, 150)]
    [InlineData(32, 64, 150)]
    [InlineData(7, 20, 150)]
    [InlineData(1, 2, 40)]
    [InlineData(null, null, 30)]
    public void BatchedForwardMatchesTheInferenceEngine(int? stride, int? window, int count)
    {
        var model = GptLanguageModel.FromPretrained(directory.Path);
        int[] tokens = Tokens(count, 4);
        PerplexityResult batched = PerplexityEvaluator.Evaluate(model, tokens, stride, window, method: PerplexityMethod.BatchedForward);
        PerplexityResult engine = PerplexityEvaluator.Evaluate(model, tokens, stride, window, method: PerplexityMethod.KeyValueCache);
        PerplexityResult auto = PerplexityEvaluator.Evaluate(model, tokens, stride, window);

        Assert.Equal(tokens.Length - 1, batched.Tokens);
        Assert.Equal(engine.Tokens, batched.Tokens);
        Assert.Equal((engine.ContextLength, engine.Stride), (batched.ContextLength, batched.Stride));
        Assert.True(Math.Abs(batched.MeanLoss - engine.MeanLoss) <= 2e-6 * engine.MeanLoss, $"{batched.MeanLoss} vs {engine.MeanLoss}");
        Assert.Equal(batched.NegativeLogLikelihood, auto.NegativeLogLikelihood);
    }

    [Fact]
    public void QuantisedModelsAreScoredByTheEngineOnTheirOwnWeights()
    {
        var model = GptLanguageModel.FromPretrained(directory.Path, Myna.Models.Inference.InferencePrecision.Int8);
        int[] tokens = Tokens(100, 5);
        PerplexityResult auto = PerplexityEvaluator.Evaluate(model, tokens, 16, 32);
        Assert.Equal(PerplexityEvaluator.Evaluate(model, tokens, 16, 32, method: PerplexityMethod.KeyValueCache).NegativeLogLikelihood, auto.NegativeLogLikelihood);
        Assert.Contains("f32", Assert.Throws<ArgumentException>(() => PerplexityEvaluator.Evaluate(model, tokens, method: PerplexityMethod.BatchedForward)).Message);
    }

    [Fact]
    public void BadArgumentsAreClearErrors()
    {
        var model = GptLanguageModel.FromPretrained(directory.Path);
        Assert.Contains("two tokens", Assert.Throws<ArgumentException>(() => PerplexityEvaluator.Evaluate(model, [1])).Message);
        Assert.Contains("stride", Assert.Throws<ArgumentException>(() => PerplexityEvaluator.Evaluate(model, Tokens(10, 1), stride: 100, window: 8)).Message);
        Assert.Contains("vocabulary", Assert.Throws<ArgumentException>(() => PerplexityEvaluator.Evaluate(model, [1, 2, 300])).Message);
    }
}
