using System.Text;
using Myna.Models;
using Myna.Models.Inference;
using Xunit.Abstractions;

namespace Myna.Tests.Models.Inference;

/// <summary>
/// The perplexity cost of f16 and int8 weights, measured on a small byte-level model trained here for a few seconds
/// (the repository's default model does not exist yet) and evaluated on held-out text it was not trained on.
/// </summary>
public class PerplexityByPrecisionTests(ITestOutputHelper log)
{
    private static readonly GptConfig Config = new() { VocabSize = 256, ContextLength = 32, EmbeddingSize = 32, HeadCount = 2, LayerCount = 2 };

    private const string Text =
        "The cat sat on the mat. The dog sat on the log. The bird sat on the wire and sang a song. " +
        "A cat and a dog met a bird. The cat said hello to the dog, and the dog said hello to the cat. " +
        "Every morning the sun rises in the east and sets in the west. Every evening the moon rises and the stars shine. " +
        "The farmer plants seeds in the spring, waters them in the summer and harvests them in the autumn. " +
        "In the winter the fields rest under the snow, and the farmer mends his tools by the fire. " +
        "The children walk to school along the river. They count the boats, the ducks and the bridges on the way. " +
        "One boat is red, one boat is blue, and one boat is green. The ducks swim in a line behind their mother. " +
        "At school the children read books, write stories and learn to add and subtract numbers. " +
        "After school they play in the park until the sun sets, then they walk home along the river again. ";

    /// <summary>Mean negative log-likelihood (nats per byte) of <paramref name="tokens"/> in windows of the context length.</summary>
    public static double MeanNegativeLogLikelihood(GptInference engine, int[] tokens)
    {
        int v = engine.Config.VocabSize, window = engine.Config.ContextLength;
        double total = 0;
        int count = 0;
        for (int start = 0; start + 1 < tokens.Length; start += window)
        {
            int length = Math.Min(window, tokens.Length - 1 - start);
            var logits = new float[length * v];
            engine.Reset(0);
            engine.Forward([0], [length], tokens.AsSpan(start, length), logits, allPositions: true);
            for (int t = 0; t < length; t++)
            {
                ReadOnlySpan<float> row = logits.AsSpan(t * v, v);
                float max = float.NegativeInfinity;
                foreach (float x in row) max = Math.Max(max, x);
                double sum = 0;
                foreach (float x in row) sum += Math.Exp(x - max);
                total += Math.Log(sum) + max - row[tokens[start + t + 1]];
                count++;
            }
        }
        return total / count;
    }

    private static GptWeights Train(int[] tokens, int steps)
    {
        const int batch = 4;
        int t = Config.ContextLength;
        var model = new GptModel(Config, batch, t);
        model.InitializeRandom(3);
        var optimizer = new AdamW(model);
        var random = new Random(4);
        var x = new int[batch * t];
        var y = new int[batch * t];
        for (int step = 0; step < steps; step++)
        {
            for (int b = 0; b < batch; b++)
            {
                int start = random.Next(tokens.Length - t - 1);
                tokens.AsSpan(start, t).CopyTo(x.AsSpan(b * t, t));
                tokens.AsSpan(start + 1, t).CopyTo(y.AsSpan(b * t, t));
            }
            model.ZeroGradients();
            model.Forward(x, y);
            model.Backward();
            model.ClipGradients(1f);
            optimizer.Step(1e-2f, 0.9f, 0.95f, 1e-8f, 0f);
        }
        var weights = new GptWeights(Config);
        model.Parameters.CopyTo(weights.Values);
        return weights;
    }

    [Fact]
    public void Int8StaysWithinOnePercentOfF32PerplexityAndF16WithinATenthOfAPercent()
    {
        int[] bytes = Encoding.UTF8.GetBytes(Text).Select(b => (int)b).ToArray();
        int split = bytes.Length * 4 / 5;
        GptWeights weights = Train(bytes[..split], steps: 150);
        int[] heldOut = bytes[split..];

        var perplexity = new Dictionary<InferencePrecision, double>();
        foreach (InferencePrecision precision in Enum.GetValues<InferencePrecision>())
            perplexity[precision] = Math.Exp(MeanNegativeLogLikelihood(new GptInference(weights, 1, precision), heldOut));
        double f32 = perplexity[InferencePrecision.F32];
        foreach ((InferencePrecision precision, double value) in perplexity)
            log.WriteLine($"{precision}: perplexity {value:F4} ({(value / f32 - 1) * 100:+0.000;-0.000}% vs f32), held-out {heldOut.Length} bytes");

        Assert.True(f32 < 40, $"training did not take: held-out perplexity {f32} (uniform is 256)");
        Assert.True(Math.Abs(perplexity[InferencePrecision.F16] / f32 - 1) < 0.001);
        Assert.True(Math.Abs(perplexity[InferencePrecision.Int8] / f32 - 1) < 0.01);
    }
}
