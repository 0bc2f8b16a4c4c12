namespace Myna.Tensors.Quantized;

/// <summary>How a <see cref="QuantizedMatrix"/> stores its values.</summary>
public enum WeightFormat
{
    /// <summary>4 bytes per value, exact.</summary>
    F32,

    /// <summary>IEEE half precision, 2 bytes per value (round to nearest even; finite values up to 65504).</summary>
    F16,

    /// <summary>
    /// Signed bytes in blocks of <see cref="QuantizedMatrix.BlockSize"/> along a row, each block with one scale
    /// d = max|w| / 127 rounded to half precision, so w ≈ d·q (ggml's q8_0). 1.125 bytes per value as stored here.
    /// </summary>
    Q8
}
