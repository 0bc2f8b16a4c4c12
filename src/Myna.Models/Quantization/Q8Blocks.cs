using System.Buffers.Binary;

namespace Myna.Models.Quantization;

/// <summary>
/// ggml's Q8_0 format: blocks of 32 values, each stored as one float16 scale d = max|x| / 127 followed by 32 signed
/// bytes q = round(x / d), so x ≈ d·q. 34 bytes per 32 values (8.5 bits per weight).
/// </summary>
public static class Q8Blocks
{
    /// <summary>Values per block.</summary>
    public const int BlockSize = 32;

    /// <summary>Bytes per block: the f16 scale and 32 quantised values.</summary>
    public const int BlockBytes = 2 + BlockSize;

    /// <summary>Bytes needed for <paramref name="count"/> values (a multiple of 32).</summary>
    public static long ByteCount(long count)
    {
        if (count % BlockSize != 0) throw new ArgumentException($"Q8_0 needs a multiple of {BlockSize} values; {count} given.");
        return count / BlockSize * BlockBytes;
    }

    /// <summary>Quantises <paramref name="values"/> (a multiple of 32) into <paramref name="destination"/>.</summary>
    public static void Quantize(ReadOnlySpan<float> values, Span<byte> destination)
    {
        long needed = ByteCount(values.Length);
        if (destination.Length < needed) throw new ArgumentException($"destination holds {destination.Length} bytes; {needed} are needed.", nameof(destination));
        for (int block = 0; block < values.Length / BlockSize; block++)
        {
            ReadOnlySpan<float> x = values.Slice(block * BlockSize, BlockSize);
            Span<byte> output = destination.Slice(block * BlockBytes, BlockBytes);
            // The inference kernels' rule, so a GGUF q8_0 file and Myna's int8 weights hold the same blocks.
            (float d, float inverse) = Myna.Tensors.Quantized.QuantizedMatrix.Q8Scale(x);
            BinaryPrimitives.WriteHalfLittleEndian(output, (Half)d);
            for (int i = 0; i < BlockSize; i++) output[2 + i] = (byte)(sbyte)MathF.Round(x[i] * inverse, MidpointRounding.AwayFromZero);
        }
    }

    /// <summary>Expands blocks back to floats.</summary>
    public static void Dequantize(ReadOnlySpan<byte> blocks, Span<float> destination)
    {
        for (int block = 0; block < destination.Length / BlockSize; block++)
        {
            ReadOnlySpan<byte> input = blocks.Slice(block * BlockBytes, BlockBytes);
            float d = (float)BinaryPrimitives.ReadHalfLittleEndian(input);
            for (int i = 0; i < BlockSize; i++) destination[block * BlockSize + i] = d * (sbyte)input[2 + i];
        }
    }
}
