namespace Myna.Models;

/// <summary>The twelve parameter tensors of one transformer block (C channels). Weights are (in, out).</summary>
public sealed record BlockParameters(
    ParameterEntry Norm1Weight,          // (C)
    ParameterEntry Norm1Bias,            // (C)
    ParameterEntry QkvWeight,            // (C, 3C)
    ParameterEntry QkvBias,              // (3C)
    ParameterEntry AttentionProjWeight,  // (C, C)
    ParameterEntry AttentionProjBias,    // (C)
    ParameterEntry Norm2Weight,          // (C)
    ParameterEntry Norm2Bias,            // (C)
    ParameterEntry FcWeight,             // (C, 4C)
    ParameterEntry FcBias,               // (4C)
    ParameterEntry FcProjWeight,         // (4C, C)
    ParameterEntry FcProjBias);          // (C)
