using System.Buffers.Binary;

namespace Myna.Text.Shards;

/// <summary>Writes one token shard (<see cref="TokenShardFormat"/>). Data goes to "<c>path.tmp</c>" and is renamed into
/// place by <see cref="Complete"/>, so a crash never leaves a shard that looks finished.</summary>
public sealed class TokenShardWriter : IDisposable
{
    private readonly string _path;
    private readonly string _temporary;
    private readonly FileStream _stream;
    private readonly int _width;
    private readonly int _vocabSize;
    private readonly byte[] _buffer = new byte[1 << 16];
    private int _buffered;
    private bool _completed;

    /// <summary>Starts a shard at <paramref name="path"/> for ids below <paramref name="vocabSize"/>.</summary>
    public TokenShardWriter(string path, int vocabSize)
    {
        _path = path;
        _temporary = path + ".tmp";
        _vocabSize = vocabSize;
        _width = TokenShardFormat.WidthFor(vocabSize);
        _stream = new FileStream(_temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        _stream.Write(new byte[TokenShardFormat.HeaderBytes]);
    }

    /// <summary>Tokens written so far.</summary>
    public long Count { get; private set; }

    /// <summary>The shard's final path.</summary>
    public string Path => _path;

    /// <summary>Appends tokens.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is negative or not below the vocabulary size.</exception>
    public void Write(ReadOnlySpan<int> tokens)
    {
        foreach (int token in tokens)
        {
            if ((uint)token >= (uint)_vocabSize) throw new ArgumentOutOfRangeException(nameof(tokens), $"token id {token} is outside the vocabulary (size {_vocabSize})");
            if (_buffered + _width > _buffer.Length) Flush();
            if (_width == 2) BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_buffered), (ushort)token);
            else BinaryPrimitives.WriteUInt32LittleEndian(_buffer.AsSpan(_buffered), (uint)token);
            _buffered += _width;
        }
        Count += tokens.Length;
    }

    /// <summary>Writes the header, flushes to disk and renames the file into place.</summary>
    public void Complete()
    {
        Flush();
        Span<byte> header = stackalloc byte[TokenShardFormat.HeaderBytes];
        header.Clear();
        TokenShardFormat.Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], TokenShardFormat.Version);
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], (uint)_width);
        BinaryPrimitives.WriteUInt64LittleEndian(header[16..], (ulong)Count);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)_vocabSize);
        _stream.Position = 0;
        _stream.Write(header);
        _stream.Flush(flushToDisk: true);
        _stream.Dispose();
        File.Move(_temporary, _path, overwrite: true);
        _completed = true;
    }

    private void Flush()
    {
        _stream.Write(_buffer, 0, _buffered);
        _buffered = 0;
    }

    /// <summary>Closes the file; an uncompleted shard is deleted.</summary>
    public void Dispose()
    {
        if (_completed) return;
        _stream.Dispose();
        File.Delete(_temporary);
    }
}
