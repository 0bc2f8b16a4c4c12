using Myna.Models;
using Myna.Tensors;

namespace Myna.Training;

/// <summary>
/// AdamW over a <see cref="GptModel"/> whose whole state (both moments and the step count t) can be saved and
/// restored, so a resumed run applies exactly the updates an uninterrupted one would. It runs the same kernel
/// (<see cref="AdamWUpdate"/>) with the same decay rule as <see cref="AdamW"/> (weight decay on 2-D tensors only);
/// it exists because <see cref="AdamW.StepCount"/> cannot be set from outside.
/// </summary>
public sealed class ResumableAdamW
{
    private readonly GptModel _model;

    /// <summary>Zeroed moments for <paramref name="model"/>.</summary>
    public ResumableAdamW(GptModel model)
    {
        _model = model;
        FirstMoment = new float[model.ParameterCount];
        SecondMoment = new float[model.ParameterCount];
    }

    /// <summary>Updates applied so far (t in the bias corrections).</summary>
    public int StepCount { get; private set; }

    /// <summary>First moments (PyTorch's exp_avg), laid out like the parameters.</summary>
    public float[] FirstMoment { get; }

    /// <summary>Second moments (PyTorch's exp_avg_sq), laid out like the parameters.</summary>
    public float[] SecondMoment { get; }

    /// <summary>Applies one update from the model's current gradients (which it does not clear).</summary>
    public void Step(float learningRate, float beta1, float beta2, float epsilon, float weightDecay)
    {
        StepCount++;
        Span<float> parameters = _model.Parameters, gradients = _model.Gradients;
        foreach (ParameterEntry entry in _model.Layout.Entries)
        {
            AdamWUpdate.Step(
                parameters.Slice(entry.Offset, entry.Length), gradients.Slice(entry.Offset, entry.Length),
                FirstMoment.AsSpan(entry.Offset, entry.Length), SecondMoment.AsSpan(entry.Offset, entry.Length),
                learningRate, beta1, beta2, epsilon, entry.Decays ? weightDecay : 0f, StepCount);
        }
    }

    /// <summary>Restores the step count after the moments were copied back from a checkpoint.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The count is negative.</exception>
    public void RestoreStepCount(int stepCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        StepCount = stepCount;
    }
}
