namespace Myna.Training;

/// <summary>
/// Linear warm-up then cosine decay to a floor, as nanoGPT's <c>get_lr</c>:
/// 1. steps below the warm-up rise linearly from lr/warmup to lr;
/// 2. past the decay end the rate stays at the minimum;
/// 3. in between it follows half a cosine from lr down to the minimum.
/// Steps are 0-based (the rate for the first update is <c>At(0)</c>).
/// </summary>
public sealed class LearningRateSchedule(double peak, double minimum, int warmupSteps, int decaySteps)
{
    /// <summary>The schedule the options describe (decay to the last step unless --decay-steps says otherwise; the derived warm-up when none is given).</summary>
    public static LearningRateSchedule From(TrainingOptions options) =>
        new(options.LearningRate, options.MinLearningRate, options.WarmupSteps ?? TrainingOptions.DefaultWarmup(options.TotalSteps),
            options.DecaySteps ?? options.TotalSteps);

    /// <summary>The learning rate for 0-based step <paramref name="step"/>.</summary>
    public double At(int step)
    {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        if (step >= decaySteps) return minimum;
        double progress = (double)(step - warmupSteps) / (decaySteps - warmupSteps);
        double coefficient = 0.5 * (1.0 + Math.Cos(Math.PI * progress));
        return minimum + coefficient * (peak - minimum);
    }
}
