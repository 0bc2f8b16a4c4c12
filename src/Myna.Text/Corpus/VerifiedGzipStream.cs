using System.Buffers.Binary;
using System.IO.Compression;
using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.GZip;

namespace Myna.Text.Corpus;

/// <summary>
/// Decompresses a gzip file and, at its end, proves that the data was all there: the BCL's <see cref="GZipStream"/>
/// reads a truncated file up to the break and then reports a normal end, so a cut download would lose its tail (and
/// cut its last document mid-sentence) without a word. At the end of the data the decompressed length is compared
/// with the size the gzip trailer records (ISIZE, the last four bytes of the file); they differ for a truncated file
/// and, legitimately, for a file of several gzip members (bgzip, concatenated files). Only then is the file decoded
/// once more by SharpZipLib, which checks every member's CRC and length and fails on a missing end: the fast
/// decoder reads every file, the strict one only the rare file that needs a second opinion.
/// </summary>
internal sealed class VerifiedGzipStream : Stream
{
    /// <summary>A gzip file has a 10-byte header and an 8-byte trailer at least.</summary>
    private const int MinimumGzipBytes = 18;

    private readonly string _path;
    private readonly GZipStream _inflater;
    private long _decompressed;
    private bool _verified;

    /// <summary>Decompresses <paramref name="compressed"/>, the contents of the gzip file at <paramref name="path"/>.</summary>
    public VerifiedGzipStream(string path, Stream compressed)
    {
        _path = path;
        _inflater = new GZipStream(compressed, CompressionMode.Decompress);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _decompressed; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <exception cref="InvalidDataException">At the end of the data: the file is truncated or corrupt.</exception>
    public override int Read(Span<byte> buffer)
    {
        int n = _inflater.Read(buffer);
        _decompressed += n;
        if (n == 0 && buffer.Length > 0 && !_verified)
        {
            _verified = true;
            Verify(_path, _decompressed);
        }
        return n;
    }

    /// <summary>Checks that the gzip file at <paramref name="path"/> holds exactly <paramref name="decompressedLength"/> bytes of complete data.</summary>
    /// <exception cref="InvalidDataException">It does not: truncated, or corrupt.</exception>
    public static void Verify(string path, long decompressedLength)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        if (file.Length < MinimumGzipBytes)
            throw new InvalidDataException($"truncated gzip: the file has {file.Length} bytes, fewer than any complete gzip file");
        Span<byte> trailer = stackalloc byte[4];
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(trailer);
        if (BinaryPrimitives.ReadUInt32LittleEndian(trailer) == unchecked((uint)decompressedLength)) return;

        // Not the single member's size: either several members, or a file that ends early. Ask the strict decoder.
        file.Seek(0, SeekOrigin.Begin);
        long strictLength = 0;
        try
        {
            using var strict = new GZipInputStream(file) { IsStreamOwner = false };
            var buffer = new byte[1 << 16];
            int n;
            while ((n = strict.Read(buffer, 0, buffer.Length)) > 0) strictLength += n;
        }
        catch (SharpZipBaseException ex)
        {
            throw new InvalidDataException($"truncated or corrupt gzip after {decompressedLength:N0} decompressed bytes ({ex.Message}); the rest of the file is lost");
        }
        if (strictLength != decompressedLength)
            throw new InvalidDataException($"corrupt gzip: {decompressedLength:N0} bytes decompressed, the members' own lengths say {strictLength:N0}");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inflater.Dispose();
        base.Dispose(disposing);
    }
}
