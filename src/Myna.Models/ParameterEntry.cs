namespace Myna.Models;

/// <summary>One parameter tensor: its checkpoint name, shape, role, and where it lives in the flat arenas.</summary>
/// <param name="Name">Hugging Face GPT-2 name without the <c>transformer.</c> prefix, e.g. <c>h.0.attn.c_attn.weight</c>.</param>
/// <param name="Shape">Dimensions, row-major, exactly as the HF checkpoint stores the tensor.</param>
/// <param name="Role">What the tensor does (initialisation and weight decay follow from it).</param>
/// <param name="Offset">First element in the parameter, gradient and moment arenas.</param>
public sealed record ParameterEntry(string Name, int[] Shape, ParameterRole Role, int Offset)
{
    /// <summary>Number of elements.</summary>
    public int Length { get; } = Shape.Aggregate(1, (product, d) => checked(product * d));

    /// <summary>Whether AdamW decays this tensor: the 2-D matrices (weights and embeddings), as nanoGPT does; not biases or LayerNorm.</summary>
    public bool Decays => Shape.Length >= 2;
}
