using System.Numerics.Tensors;
using Myna.Models;
using Myna.Tests.Tensors;

namespace Myna.Tests.Models;

public class TrainingStepTests
{
    private static readonly GptConfig Config = new() { VocabSize = 40, ContextLength = 8, EmbeddingSize = 16, HeadCount = 2, LayerCount = 2 };
    private const int Batch = 2, Time = 8;

    [Theory]
    [InlineData(1, 1f)]
    [InlineData(3, 0.05f)]
    [InlineData(2, 0f)]
    public void MatchesTheThreePassStep(int microBatches, float maxNorm)
    {
        // The step it replaces: zero, accumulate, average the arena, clip the arena, then update.
        var settings = new TrainingStepSettings(0.9f, 0.95f, 1e-8f, 0.1f, maxNorm, microBatches);
        var (fused, fusedOptimizer) = NewModel();
        var (reference, referenceOptimizer) = NewModel();
        var step = new TrainingStep(fused, fusedOptimizer, settings);
        var fusedData = new Random(5);
        var referenceData = new Random(5);
        for (int s = 0; s < 3; s++)
        {
            TrainingStepResult result = step.Run(3e-3f, (inputs, targets) => Fill(fusedData, inputs, targets));

            reference.ZeroGradients();
            double lossSum = 0;
            var inputs = new int[Batch * Time];
            var targets = new int[inputs.Length];
            for (int micro = 0; micro < microBatches; micro++)
            {
                Fill(referenceData, inputs, targets);
                lossSum += reference.Forward(inputs, targets);
                reference.Backward();
            }
            TensorPrimitives.Multiply(reference.Gradients, 1f / microBatches, reference.Gradients);
            float norm = maxNorm > 0 ? reference.ClipGradients(maxNorm) : reference.GradientNorm();
            referenceOptimizer.Step(3e-3f, 0.9f, 0.95f, 1e-8f, 0.1f);

            Assert.Equal(lossSum / microBatches, result.Loss, 1e-5);
            Assert.Equal(norm, result.GradientNorm, norm * 1e-5f);
            Assert.True(fused.Gradients.IndexOfAnyExcept(0f) < 0, "the step must leave the gradients zero");
            Assert.Equal(s + 1, fusedOptimizer.StepCount);
            // Rounding differs (one scale per element instead of two), so the parameters agree closely, not bit for bit.
            KernelTestData.AssertClose(
                KernelTestData.ToDouble(reference.Parameters.ToArray()), fused.Parameters.ToArray(), 1e-4, 1e-6, "parameters");
        }
    }

    [Fact]
    public void TimesAddUpPerPhase()
    {
        var (model, optimizer) = NewModel();
        var step = new TrainingStep(model, optimizer, new TrainingStepSettings(0.9f, 0.95f, 1e-8f, 0f, 1f, 2));
        var times = new TrainingStepTimes();
        var data = new Random(1);
        step.Run(1e-3f, (inputs, targets) => Fill(data, inputs, targets), times);
        Assert.True(times.ForwardSeconds > 0 && times.BackwardSeconds > 0 && times.OptimizerSeconds > 0);
    }

    [Fact]
    public void RejectsNoMicroBatches()
    {
        var (model, optimizer) = NewModel();
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new TrainingStep(model, optimizer, new TrainingStepSettings(0.9f, 0.95f, 1e-8f, 0f, 1f, 0)));
    }

    private static (GptModel, AdamW) NewModel()
    {
        var model = new GptModel(Config, Batch, Time);
        model.InitializeRandom(17);
        return (model, new AdamW(model));
    }

    private static void Fill(Random rng, int[] inputs, int[] targets)
    {
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = rng.Next(Config.VocabSize);
            targets[i] = rng.Next(Config.VocabSize);
        }
    }
}
