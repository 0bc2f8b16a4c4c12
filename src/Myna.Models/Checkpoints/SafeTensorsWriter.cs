using System.Buffers.Binary;
using System.Text.Json;
using Myna.Text.Output;

namespace Myna.Models.Checkpoints;

/// <summary>A tensor to write: float32 values stored as <paramref name="DType"/>.</summary>
public sealed record TensorToWrite(string Name, long[] Shape, ReadOnlyMemory<float> Values, SafeTensorsDType DType = SafeTensorsDType.F32);

/// <summary>
/// Writes safetensors files the reference implementation and transformers read: header padded with spaces to
/// a multiple of 8 bytes, tensors laid out contiguously in the given order. The file appears atomically: it is
/// written under a temporary name, flushed to disk, then renamed over the target.
/// </summary>
public static class SafeTensorsWriter
{
    /// <summary>Writes <paramref name="tensors"/> to <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">Names repeat, or a tensor's value count does not match its shape.</exception>
    public static void Write(string path, IReadOnlyList<TensorToWrite> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var names = new HashSet<string>();
        var header = new Dictionary<string, object>();
        if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
        long offset = 0;
        foreach (TensorToWrite tensor in tensors)
        {
            if (tensor.Name == "__metadata__" || !names.Add(tensor.Name))
                throw new ArgumentException($"tensor name '{tensor.Name}' is reserved or repeated.", nameof(tensors));
            long elements = tensor.Shape.Aggregate(1L, (a, b) => a * b);
            if (elements != tensor.Values.Length)
                throw new ArgumentException($"tensor '{tensor.Name}' has shape [{string.Join(", ", tensor.Shape)}] ({elements} values) but {tensor.Values.Length} values were given.", nameof(tensors));
            long bytes = elements * SafeTensorsHeader.ElementSize(tensor.DType);
            header[tensor.Name] = new { dtype = SafeTensorsHeader.Name(tensor.DType), shape = tensor.Shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }

        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        int padded = (json.Length + 7) / 8 * 8;

        AtomicFile.Write(path, stream =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            stream.Write(length);
            stream.Write(json);
            for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');

            byte[] buffer = new byte[1 << 20];
            foreach (TensorToWrite tensor in tensors)
            {
                int size = SafeTensorsHeader.ElementSize(tensor.DType);
                int perChunk = buffer.Length / size;
                for (int start = 0; start < tensor.Values.Length; start += perChunk)
                {
                    int count = Math.Min(perChunk, tensor.Values.Length - start);
                    ElementConversion.FromFloat32(tensor.Values.Span.Slice(start, count), tensor.DType, buffer.AsSpan(0, count * size));
                    stream.Write(buffer, 0, count * size);
                }
            }
        });
    }
}
