namespace Myna.Models;

/// <summary>
/// The hyperparameters of one <see cref="TrainingStep"/> that stay fixed over a run (the learning rate is given per
/// step). No defaults here: <c>TrainingOptions</c> holds them, and the benchmark states its own.
/// </summary>
/// <param name="Beta1">AdamW β1, the first-moment decay.</param>
/// <param name="Beta2">AdamW β2, the second-moment decay.</param>
/// <param name="Epsilon">AdamW ε, added to the root of the second moment.</param>
/// <param name="WeightDecay">Decoupled weight decay λ on 2-D tensors.</param>
/// <param name="MaxGradientNorm">Clip the averaged gradient to this global L2 norm; 0 turns clipping off.</param>
/// <param name="AccumulationSteps">Micro-batches whose gradients are averaged into one update.</param>
/// <param name="Dropout">Dropout probability on the embeddings and each block's branches (0: none).</param>
/// <param name="DropoutSeed">Seeds the dropout masks, which then depend only on it and the step (<see cref="Layers.Dropout.KeyFor"/>).</param>
public sealed record TrainingStepSettings(
    float Beta1, float Beta2, float Epsilon, float WeightDecay, float MaxGradientNorm, int AccumulationSteps,
    float Dropout = 0, ulong DropoutSeed = 0);
