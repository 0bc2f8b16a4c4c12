using Myna.Models;

namespace Myna.Tests.Models;

public class AdamWTests
{
    [Fact]
    public void WeightDecayShrinksOnlyMatrices()
    {
        var config = new GptConfig { VocabSize = 32, ContextLength = 4, EmbeddingSize = 8, HeadCount = 2, LayerCount = 1 };
        var model = new GptModel(config, 1, 4);
        model.InitializeRandom(3);
        foreach (ParameterEntry entry in model.Layout.Entries) model.Parameter(entry).Fill(2f);
        model.ZeroGradients();
        var optimizer = new AdamW(model);

        // With zero gradients the Adam term is 0/(0 + ε) = 0, so only the decoupled decay moves parameters.
        optimizer.Step(learningRate: 0.1f, beta1: 0.9f, beta2: 0.95f, epsilon: 1e-8f, weightDecay: 0.5f);
        Assert.Equal(1, optimizer.StepCount);
        foreach (ParameterEntry entry in model.Layout.Entries)
        {
            float expected = entry.Shape.Length == 2 ? 2f * (1 - 0.1f * 0.5f) : 2f;
            Assert.All(model.Parameter(entry).ToArray(), v => Assert.Equal(expected, v, 1e-6f));
        }
    }

    [Fact]
    public void StepCountCanBeRestoredButNotNegative()
    {
        var model = new GptModel(new GptConfig { VocabSize = 8, ContextLength = 2, EmbeddingSize = 4, HeadCount = 1, LayerCount = 1 }, 1, 2);
        var optimizer = new AdamW(model) { StepCount = 41 };
        optimizer.Step(1e-3f, 0.9f, 0.95f, 1e-8f, 0f);
        Assert.Equal(42, optimizer.StepCount);

        // The step consumes the gradients.
        model.Gradients.Fill(0.5f);
        optimizer.Step(1e-3f, 0.9f, 0.95f, 1e-8f, 0f);
        Assert.True(model.Gradients.IndexOfAnyExcept(0f) < 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => optimizer.StepCount = -1);
        Assert.Equal(model.ParameterCount, optimizer.FirstMoment.Length);
        Assert.Equal(model.ParameterCount, optimizer.SecondMoment.Length);
    }
}
