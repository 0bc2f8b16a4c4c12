using System.Text;

namespace Myna.Text.Corpus;

/// <summary>Opens a byte stream as text: honours a UTF-8/UTF-16 byte-order mark, otherwise decodes strict UTF-8;
/// refuses binary data up front (NUL bytes in the first block) so that it is reported rather than read as garbage.</summary>
internal static class TextDecoding
{
    /// <summary>How many leading bytes are examined for a byte-order mark and NUL bytes (one disk block's worth is plenty
    /// to tell an image or archive from text).</summary>
    private const int SniffBytes = 8192;

    /// <summary>Opens <paramref name="stream"/> as a strict text reader, or returns the reason it is not text.</summary>
    public static TextReader? Open(Stream stream, out string? notText)
    {
        var head = new byte[SniffBytes];
        int filled = 0;
        while (filled < head.Length)
        {
            int n = stream.Read(head, filled, head.Length - filled);
            if (n == 0) break;
            filled += n;
        }

        var prefix = head.AsSpan(0, filled);
        Encoding encoding;
        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
            encoding = new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true);
        else if (prefix.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            encoding = new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true);
        else
        {
            if (prefix.IndexOf((byte)0) >= 0)
            {
                notText = "binary file (NUL bytes in the first block)";
                return null;
            }
            encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        }

        notText = null;
        var joined = new PrefixedStream(head, filled, stream);
        return new StreamReader(joined, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    /// <summary>Replays the sniffed bytes, then continues with the rest of the stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, int prefixLength, Stream rest) : Stream
    {
        private int _offset;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_offset < prefixLength)
            {
                int n = Math.Min(buffer.Length, prefixLength - _offset);
                prefix.AsSpan(_offset, n).CopyTo(buffer);
                _offset += n;
                return n;
            }
            return rest.Read(buffer);
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) rest.Dispose();
            base.Dispose(disposing);
        }
    }
}
