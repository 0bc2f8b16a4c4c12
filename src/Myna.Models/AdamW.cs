using Myna.Tensors;

namespace Myna.Models;

/// <summary>
/// AdamW over a <see cref="GptModel"/>'s parameter arena: the one optimizer that training, its benchmark and the
/// tests use. Owns the first and second moment arenas, laid out exactly like the parameters
/// (<see cref="ParameterLayout"/>). Weight decay applies only to 2-D tensors (linear weights and the embedding tables),
/// never to biases or LayerNorm parameters, as nanoGPT's <c>configure_optimizers</c> does.
/// </summary>
/// <remarks>
/// Its whole state (both moments and <see cref="StepCount"/>) can be read and set, so a checkpoint restores it and a
/// resumed run applies exactly the updates an uninterrupted one would.
/// </remarks>
public sealed class AdamW
{
    private readonly GptModel _model;

    /// <summary>Creates the optimizer with zeroed moments.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="model"/> is null.</exception>
    public AdamW(GptModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        FirstMoment = new float[model.ParameterCount];
        SecondMoment = new float[model.ParameterCount];
    }

    /// <summary>Steps taken so far (t in the bias corrections); set it, with the moments, when resuming from a checkpoint.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int StepCount
    {
        get;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    }

    /// <summary>First moments (PyTorch's <c>exp_avg</c>), laid out like the parameters.</summary>
    public float[] FirstMoment { get; }

    /// <summary>Second moments (PyTorch's <c>exp_avg_sq</c>), laid out like the parameters.</summary>
    public float[] SecondMoment { get; }

    /// <summary>
    /// Applies one update from the model's current gradients, each multiplied by <paramref name="gradientScale"/>
    /// (the gradient-accumulation average times the clipping factor, so neither costs a pass over the gradient
    /// arena), and leaves the gradients zero: the step consumes them, clearing each chunk while it is still in cache,
    /// so a training loop needs no <see cref="GptModel.ZeroGradients"/> between steps (only before the first).
    /// </summary>
    public void Step(float learningRate, float beta1, float beta2, float epsilon, float weightDecay, float gradientScale = 1f)
    {
        StepCount++;
        float[] parameters = _model.ParameterArena, gradients = _model.GradientArena;
        foreach (ParameterEntry entry in _model.Layout.Entries)
        {
            AdamWUpdate.Step(
                parameters.AsSpan(entry.Offset, entry.Length), gradients.AsSpan(entry.Offset, entry.Length),
                FirstMoment.AsSpan(entry.Offset, entry.Length), SecondMoment.AsSpan(entry.Offset, entry.Length),
                learningRate, beta1, beta2, epsilon, entry.Decays ? weightDecay : 0f, StepCount, gradientScale, clearGradients: true);
        }
    }
}
