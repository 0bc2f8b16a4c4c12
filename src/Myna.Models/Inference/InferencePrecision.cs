namespace Myna.Models.Inference;

/// <summary>How <see cref="GptInference"/> stores the weights of its linear layers and language-model head.</summary>
public enum InferencePrecision
{
    /// <summary>Single precision, as trained: exact.</summary>
    F32,

    /// <summary>Half precision: half the bytes per weight, so decoding (bound by memory bandwidth) runs about twice as fast.</summary>
    F16,

    /// <summary>Signed bytes with one scale per 32 weights of a row (ggml's q8_0): about a quarter of the f32 bytes.</summary>
    Int8,
}
