using Myna.Tensors;

namespace Myna.Models.Layers;

/// <summary>
/// Fully connected layer <c>y = x·W + b</c> with W stored (in, out) as HF's Conv1D does.
/// N rows (B·T), IC input channels, OC output channels.
/// </summary>
public static class Linear
{
    /// <summary><c>output (N, OC) = input (N, IC) · weight (IC, OC) + bias (OC)</c>; an empty bias means none.</summary>
    public static void Forward(
        Span<float> output, ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias,
        int rows, int inChannels, int outChannels)
    {
        Gemm.Multiply(input, weight, output, rows, outChannels, inChannels, GemmLayout.NN, bias: bias);
    }

    /// <summary>
    /// Backward of <see cref="Forward"/>: assigns <paramref name="dInput"/> (N, IC) = dOutput·Wᵀ and accumulates
    /// <paramref name="dWeight"/> (IC, OC) += inputᵀ·dOutput and <paramref name="dBias"/> (OC) += column sums of dOutput.
    /// </summary>
    public static void Backward(
        Span<float> dInput, Span<float> dWeight, Span<float> dBias, ReadOnlySpan<float> dOutput,
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight,
        int rows, int inChannels, int outChannels)
    {
        Gemm.Multiply(dOutput, weight, dInput, rows, inChannels, outChannels, GemmLayout.NT);
        Gemm.Multiply(input, dOutput, dWeight, inChannels, outChannels, rows, GemmLayout.TN, accumulate: true);
        if (!dBias.IsEmpty) ColumnSum.Accumulate(dBias, dOutput, rows, outChannels);
    }
}
