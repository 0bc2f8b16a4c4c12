namespace Myna.Models;

/// <summary>What a parameter tensor does, which decides its initialisation and whether weight decay applies.</summary>
public enum ParameterRole
{
    /// <summary>Token or position embedding table: normal(0, 0.02), decayed.</summary>
    Embedding,

    /// <summary>Linear layer weight: normal(0, 0.02), decayed.</summary>
    Weight,

    /// <summary>Linear layer writing into the residual stream (attn.c_proj, mlp.c_proj): normal(0, 0.02/√(2L)), decayed.</summary>
    ResidualProjection,

    /// <summary>Linear layer bias: zeros, not decayed.</summary>
    Bias,

    /// <summary>LayerNorm gain: ones, not decayed.</summary>
    NormWeight,

    /// <summary>LayerNorm shift: zeros, not decayed.</summary>
    NormBias,
}
