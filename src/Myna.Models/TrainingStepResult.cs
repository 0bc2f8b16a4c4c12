namespace Myna.Models;

/// <summary>What one <see cref="TrainingStep"/> measured.</summary>
/// <param name="Loss">Mean training loss over the step's micro-batches.</param>
/// <param name="GradientNorm">Global L2 norm of the averaged gradient, before clipping.</param>
public readonly record struct TrainingStepResult(double Loss, float GradientNorm);
