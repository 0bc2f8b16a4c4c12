using System.Diagnostics;
using Myna.Models.Layers;
using Myna.Tensors;

namespace Myna.Models;

/// <summary>
/// One optimizer step as <c>myna train</c> runs it, and as <c>myna bench train</c> times it (the same code, not a copy):
/// <list type="number">
/// <item>forward and backward over each micro-batch, the parameter gradients adding up in the gradient arena;</item>
/// <item>one read of the gradients for their global L2 norm;</item>
/// <item>the AdamW update, which multiplies each gradient by (1 / micro-batches) × the clipping factor as it reads it
/// and clears it behind itself.</item>
/// </list>
/// So the step makes one pass over the gradients besides the update: averaging the micro-batches, clipping and zeroing
/// for the next step cost no pass of their own.
/// </summary>
/// <remarks>
/// The update sees <c>g · (a · c)</c> where a = 1 / micro-batches and c the clipping factor of the averaged norm
/// <c>a · ‖g‖</c>; rescaling the arena first (<c>g·a</c>, then <c>·c</c>) would round twice per element. The result is
/// deterministic for a given thread count, as the norm and the update are.
/// </remarks>
public sealed class TrainingStep
{
    private readonly GptModel _model;
    private readonly AdamW _optimizer;
    private readonly TrainingStepSettings _settings;
    private readonly int[] _inputs;
    private readonly int[] _targets;

    /// <summary>
    /// A step over <paramref name="model"/>'s (B, T) batches. Zeroes the gradients once: every step leaves them zero
    /// again (the update clears them), so nothing else may add to them between steps.
    /// </summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">Fewer than one micro-batch, or a negative maximum norm.</exception>
    public TrainingStep(GptModel model, AdamW optimizer, TrainingStepSettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.AccumulationSteps, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(settings.MaxGradientNorm);
        Dropout.CheckProbability(settings.Dropout, nameof(settings));
        _model = model;
        _optimizer = optimizer;
        _settings = settings;
        _inputs = new int[model.BatchSize * model.SequenceLength];
        _targets = new int[_inputs.Length];
        model.ZeroGradients();
    }

    /// <summary>
    /// Runs one step at <paramref name="learningRate"/>. <paramref name="nextBatch"/> fills the (B·T) input and target
    /// ids of each micro-batch in turn. Adds the time of each phase to <paramref name="times"/> when given.
    /// <paramref name="step"/> (counted from 0 over the run) selects the dropout masks, so a resumed run draws the ones
    /// an uninterrupted run would.
    /// </summary>
    public TrainingStepResult Run(float learningRate, Action<int[], int[]> nextBatch, TrainingStepTimes? times = null, long step = 0)
    {
        ArgumentNullException.ThrowIfNull(nextBatch);
        int microBatches = _settings.AccumulationSteps;
        double lossSum = 0;
        for (int micro = 0; micro < microBatches; micro++)
        {
            nextBatch(_inputs, _targets);
            long start = Stopwatch.GetTimestamp();
            var dropout = new Dropout(_settings.Dropout, Dropout.KeyFor(_settings.DropoutSeed, step * microBatches + micro));
            lossSum += _model.Forward(_inputs, _targets, dropout);
            long forwardEnd = Stopwatch.GetTimestamp();
            _model.Backward();
            if (times is not null)
            {
                times.ForwardSeconds += Stopwatch.GetElapsedTime(start, forwardEnd).TotalSeconds;
                times.BackwardSeconds += Stopwatch.GetElapsedTime(forwardEnd).TotalSeconds;
            }
        }

        long optimizerStart = Stopwatch.GetTimestamp();
        float average = 1f / microBatches;
        float norm = _model.GradientNorm() * average;
        float clip = _settings.MaxGradientNorm > 0 ? GradientClipping.ClipFactor(norm, _settings.MaxGradientNorm) : 1f;
        _optimizer.Step(learningRate, _settings.Beta1, _settings.Beta2, _settings.Epsilon, _settings.WeightDecay, average * clip);
        if (times is not null) times.OptimizerSeconds += Stopwatch.GetElapsedTime(optimizerStart).TotalSeconds;
        return new TrainingStepResult(lossSum / microBatches, norm);
    }
}
