using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;

namespace Myna.Text.Shards;

/// <summary>A memory-mapped, read-only token shard (<see cref="TokenShardFormat"/>): the operating system pages tokens
/// in as they are read, so a shard of any size costs no managed memory.</summary>
public sealed unsafe class TokenShard : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _tokens;

    private TokenShard(MemoryMappedFile file, MemoryMappedViewAccessor view, byte* tokens, int width, long count, int vocabSize)
    {
        _file = file;
        _view = view;
        _tokens = tokens;
        TokenWidth = width;
        Count = count;
        VocabSize = vocabSize;
    }

    /// <summary>Number of tokens.</summary>
    public long Count { get; }

    /// <summary>Vocabulary size recorded in the header.</summary>
    public int VocabSize { get; }

    /// <summary>Bytes per token: 2 or 4.</summary>
    public int TokenWidth { get; }

    /// <summary>Opens and validates a shard.</summary>
    /// <remarks>
    /// Every token is checked against the header's vocabulary size once, here: an id out of range would otherwise be
    /// found only when its batch comes up, hours into a run, and lose the work since the last checkpoint (a vectorised
    /// scan reads about a gigabyte a second, so even a large shard costs seconds).
    /// </remarks>
    /// <exception cref="InvalidDataException">The file is not a token shard, is truncated, or holds an id outside its vocabulary.</exception>
    public static TokenShard Open(string path)
    {
        long length = new FileInfo(path).Length;
        if (length < TokenShardFormat.HeaderBytes) throw new InvalidDataException($"{path}: too short to be a token shard");
        Span<byte> header = stackalloc byte[TokenShardFormat.HeaderBytes];
        using (FileStream stream = File.OpenRead(path)) stream.ReadExactly(header);
        if (!header[..8].SequenceEqual(TokenShardFormat.Magic)) throw new InvalidDataException($"{path}: not a Myna token shard (bad magic)");
        uint version = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (version != TokenShardFormat.Version) throw new InvalidDataException($"{path}: shard format version {version} is not supported (expected {TokenShardFormat.Version})");
        int width = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        long count = (long)BinaryPrimitives.ReadUInt64LittleEndian(header[16..]);
        int vocabSize = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[24..]);
        if (width is not (2 or 4)) throw new InvalidDataException($"{path}: token width {width} is not 2 or 4");
        if (vocabSize < 1) throw new InvalidDataException($"{path}: the header's vocabulary size {vocabSize} is not positive; the file is corrupt.");
        if (length != TokenShardFormat.HeaderBytes + count * width)
            throw new InvalidDataException($"{path}: header says {count} tokens of {width} bytes but the file holds {length - TokenShardFormat.HeaderBytes} bytes of tokens");

        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        pointer += view.PointerOffset;
        var shard = new TokenShard(file, view, pointer + TokenShardFormat.HeaderBytes, width, count, vocabSize);
        try
        {
            if (shard.FindIdOutsideVocabulary() is long at)
                throw new InvalidDataException(
                    $"{path}: token {at:N0} is id {shard[at]}, but the shard's vocabulary has {vocabSize} ids; the file is corrupt. Rebuild it with `myna shard`.");
            return shard;
        }
        catch
        {
            shard.Dispose();
            throw;
        }
    }

    /// <summary>The position of the first token whose id is not below <see cref="VocabSize"/>, or null when all are valid.</summary>
    public long? FindIdOutsideVocabulary()
    {
        const int chunk = 1 << 24;
        for (long start = 0; start < Count; start += chunk)
        {
            int length = (int)Math.Min(chunk, Count - start);
            int found = TokenWidth == 2
                ? (VocabSize > ushort.MaxValue ? -1 : new ReadOnlySpan<ushort>((ushort*)_tokens + start, length).IndexOfAnyInRange((ushort)VocabSize, ushort.MaxValue))
                : new ReadOnlySpan<uint>((uint*)_tokens + start, length).IndexOfAnyInRange((uint)VocabSize, uint.MaxValue);
            if (found >= 0) return start + found;
        }
        return null;
    }

    /// <summary>The token at <paramref name="index"/>.</summary>
    public int this[long index]
    {
        get
        {
            if ((ulong)index >= (ulong)Count) throw new ArgumentOutOfRangeException(nameof(index));
            return TokenWidth == 2 ? ((ushort*)_tokens)[index] : (int)((uint*)_tokens)[index];
        }
    }

    /// <summary>Copies <paramref name="destination"/>.Length tokens starting at <paramref name="start"/>.</summary>
    public void CopyTo(long start, Span<int> destination)
    {
        if (start < 0 || start + destination.Length > Count) throw new ArgumentOutOfRangeException(nameof(start));
        if (TokenWidth == 2)
        {
            var source = new ReadOnlySpan<ushort>((ushort*)_tokens + start, destination.Length);
            for (int i = 0; i < source.Length; i++) destination[i] = source[i];
        }
        else MemoryMarshal.Cast<uint, int>(new ReadOnlySpan<uint>((uint*)_tokens + start, destination.Length)).CopyTo(destination);
    }

    /// <summary>All tokens as an array (for tests and small shards).</summary>
    public int[] ToArray()
    {
        var tokens = new int[checked((int)Count)];
        CopyTo(0, tokens);
        return tokens;
    }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
