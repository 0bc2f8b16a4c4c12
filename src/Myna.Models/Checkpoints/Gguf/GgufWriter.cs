using System.Text;
using Myna.Text.Output;

namespace Myna.Models.Checkpoints.Gguf;

/// <summary>
/// Writes GGUF version 3 files: header, metadata key/values, tensor descriptions, then tensor data, each tensor
/// aligned to <see cref="Alignment"/> bytes as llama.cpp expects. Tensor shapes are given row-major (outermost first)
/// and written in ggml's order (innermost first).
/// </summary>
public sealed class GgufWriter
{
    /// <summary>general.alignment's default, which llama.cpp assumes when the key is absent.</summary>
    public const int Alignment = 32;

    private const uint Magic = 0x46554747; // "GGUF" little-endian
    private const uint Version = 3;

    private readonly List<(string Key, GgufValueType Type, object Value)> _metadata = [];
    private readonly List<(string Name, long[] Shape, GgufTensorType Type, byte[] Data)> _tensors = [];

    /// <summary>Adds a string value.</summary>
    public void Add(string key, string value) => _metadata.Add((key, GgufValueType.String, value));

    /// <summary>Adds an unsigned 32-bit value.</summary>
    public void Add(string key, uint value) => _metadata.Add((key, GgufValueType.UInt32, value));

    /// <summary>Adds a 32-bit float value.</summary>
    public void Add(string key, float value) => _metadata.Add((key, GgufValueType.Float32, value));

    /// <summary>Adds a boolean value.</summary>
    public void Add(string key, bool value) => _metadata.Add((key, GgufValueType.Bool, value));

    /// <summary>Adds an array of strings.</summary>
    public void Add(string key, IReadOnlyList<string> values) => _metadata.Add((key, GgufValueType.Array, values));

    /// <summary>Adds an array of 32-bit integers.</summary>
    public void Add(string key, IReadOnlyList<int> values) => _metadata.Add((key, GgufValueType.Array, values));

    /// <summary>Adds a tensor with its data already encoded in <paramref name="type"/>.</summary>
    public void AddTensor(string name, long[] rowMajorShape, GgufTensorType type, byte[] data) => _tensors.Add((name, rowMajorShape, type, data));

    /// <summary>Writes the file atomically.</summary>
    public void Write(string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(Version);
        writer.Write((ulong)_tensors.Count);
        writer.Write((ulong)_metadata.Count);
        foreach (var (key, type, value) in _metadata)
        {
            WriteString(writer, key);
            writer.Write((uint)type);
            WriteValue(writer, type, value);
        }

        ulong offset = 0;
        foreach (var (name, shape, type, data) in _tensors)
        {
            WriteString(writer, name);
            writer.Write((uint)shape.Length);
            for (int d = shape.Length - 1; d >= 0; d--) writer.Write((ulong)shape[d]);
            writer.Write((uint)type);
            writer.Write(offset);
            offset = Align((ulong)((long)offset + data.Length));
        }
        Pad(writer);
        foreach (var (_, _, _, data) in _tensors)
        {
            writer.Write(data);
            Pad(writer);
        }
    });

    private static void WriteValue(BinaryWriter writer, GgufValueType type, object value)
    {
        switch (value)
        {
            case string s: WriteString(writer, s); break;
            case uint u: writer.Write(u); break;
            case float f: writer.Write(f); break;
            case bool b: writer.Write((byte)(b ? 1 : 0)); break;
            case IReadOnlyList<string> strings:
                writer.Write((uint)GgufValueType.String);
                writer.Write((ulong)strings.Count);
                foreach (string s in strings) WriteString(writer, s);
                break;
            case IReadOnlyList<int> ints:
                writer.Write((uint)GgufValueType.Int32);
                writer.Write((ulong)ints.Count);
                foreach (int i in ints) writer.Write(i);
                break;
            default:
                throw new ArgumentException($"unsupported metadata value of type {type}.");
        }
    }

    private static void WriteString(BinaryWriter writer, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }

    private static ulong Align(ulong offset) => (offset + Alignment - 1) / Alignment * Alignment;

    private static void Pad(BinaryWriter writer)
    {
        long position = writer.BaseStream.Position;
        long padded = (long)Align((ulong)position);
        for (long i = position; i < padded; i++) writer.Write((byte)0);
    }
}
