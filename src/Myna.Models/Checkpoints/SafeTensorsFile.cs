using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace Myna.Models.Checkpoints;

/// <summary>
/// A safetensors file opened for reading. The file is memory-mapped, so opening a multi-gigabyte checkpoint costs
/// only its header; tensors are converted to float32 as they are read.
/// </summary>
public sealed unsafe class SafeTensorsFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _data;
    private readonly Dictionary<string, SafeTensorInfo> _byName;
    private bool _disposed;

    private SafeTensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, long dataStart,
        IReadOnlyList<SafeTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        _map = map;
        _view = view;
        byte* start = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
        _data = start + view.PointerOffset + dataStart;
        Tensors = tensors;
        Metadata = metadata;
        _byName = tensors.ToDictionary(t => t.Name);
    }

    /// <summary>The file this was read from.</summary>
    public string Path { get; }

    /// <summary>The tensors in header order.</summary>
    public IReadOnlyList<SafeTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> strings (e.g. <c>format: pt</c>).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates a file.</summary>
    /// <exception cref="FileNotFoundException">There is no such file.</exception>
    /// <exception cref="SafeTensorsFormatException">The file is truncated or its header is invalid.</exception>
    public static SafeTensorsFile Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such safetensors file.", path);
        long length = new FileInfo(path).Length;
        if (length < 8) throw new SafeTensorsFormatException($"{path}: {length} bytes is too short for a safetensors file (the header length alone is 8).");

        using (FileStream stream = File.OpenRead(path))
        {
            Span<byte> prefix = stackalloc byte[8];
            stream.ReadExactly(prefix);
            ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
            if (headerLength > (ulong)SafeTensorsHeader.MaxHeaderBytes)
                throw new SafeTensorsFormatException($"{path}: the header claims {headerLength} bytes, more than the {SafeTensorsHeader.MaxHeaderBytes} allowed; the file is not safetensors or is corrupt.");
            if ((long)headerLength > length - 8)
                throw new SafeTensorsFormatException($"{path}: the header claims {headerLength} bytes but the file has only {length - 8} after the length; it is truncated.");
            byte[] header = new byte[headerLength];
            stream.ReadExactly(header);
            if (header.Length == 0 || header[0] != (byte)'{')
                throw new SafeTensorsFormatException($"{path}: the header does not start with '{{'; the file is not safetensors.");
            long dataStart = 8 + (long)headerLength;
            var (tensors, metadata) = SafeTensorsHeader.Parse(header, length - dataStart, path);

            MemoryMappedFile map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            MemoryMappedViewAccessor view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            return new SafeTensorsFile(path, map, view, dataStart, tensors, metadata);
        }
    }

    /// <summary>The entry of a tensor, or null when the file has none of that name.</summary>
    public SafeTensorInfo? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>Reads a tensor converted to float32 into <paramref name="destination"/>, whose length must equal its element count.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has this name.</exception>
    /// <exception cref="ArgumentException">The destination has the wrong length.</exception>
    public void ReadFloat32(string name, Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        SafeTensorInfo tensor = Find(name) ?? throw new KeyNotFoundException($"{Path}: there is no tensor '{name}'.");
        if (destination.Length != tensor.ElementCount)
            throw new ArgumentException($"{Path}: tensor '{name}' {tensor.ShapeText} has {tensor.ElementCount} values; the destination holds {destination.Length}.", nameof(destination));

        var bytes = new ReadOnlySpan<byte>(_data + tensor.Begin, checked((int)(tensor.End - tensor.Begin)));
        ElementConversion.ToFloat32(bytes, tensor.DType, destination);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
