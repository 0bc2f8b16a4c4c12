namespace Myna.Models;

/// <summary>Seconds a <see cref="TrainingStep"/> spent in each phase, summed over the steps that were given it.</summary>
public sealed class TrainingStepTimes
{
    /// <summary>Forward passes, loss included.</summary>
    public double ForwardSeconds { get; internal set; }

    /// <summary>Backward passes.</summary>
    public double BackwardSeconds { get; internal set; }

    /// <summary>The gradient norm and the AdamW update (which also scales, clips and clears the gradients).</summary>
    public double OptimizerSeconds { get; internal set; }
}
