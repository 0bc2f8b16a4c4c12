using System.Text;

namespace Myna.Text.Corpus;

/// <summary>Opens a byte stream as text: honours a UTF-8/UTF-16 byte-order mark; otherwise strict UTF-8, or GB18030
/// (which includes GBK and GB2312, the usual encodings of Chinese text files) when the first block is not UTF-8 but is
/// valid GB18030 with Chinese in it. Refuses binary data up front (NUL bytes in the first block) so that it is reported
/// rather than read as garbage. A file whose first block is neither raises <see cref="DecoderFallbackException"/>
/// (reported by the reader); in a file that starts as valid UTF-8, later invalid bytes decode to U+FFFD.</summary>
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
            // A file that starts as valid UTF-8 is UTF-8: a stray bad byte further on becomes U+FFFD in its document
            // (which the quality filter then drops as invalid_encoding) instead of costing the rest of the file.
            bool wholeFile = filled < head.Length; // nothing was cut off at the end of the block
            if (LooksLikeUtf8(prefix, wholeFile)) encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
            else if (TryGb18030(prefix, wholeFile, out Encoding? gb)) encoding = gb!;
            else encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
        }

        notText = null;
        var joined = new PrefixedStream(head, filled, stream);
        return new StreamReader(joined, encoding, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    /// <summary>True when the block is valid UTF-8, allowing a multi-byte sequence cut off at its end unless the block
    /// is the whole file.</summary>
    private static bool LooksLikeUtf8(ReadOnlySpan<byte> block, bool wholeFile)
    {
        for (int cut = 0; cut <= (wholeFile ? 0 : 3) && cut <= block.Length; cut++)
            if (System.Text.Unicode.Utf8.IsValid(block[..^cut])) return true;
        return false;
    }

    /// <summary>GB18030 when the block decodes strictly with it (allowing a cut-off final character) and holds Chinese.</summary>
    private static bool TryGb18030(ReadOnlySpan<byte> block, bool wholeFile, out Encoding? encoding)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        Encoding strict = Encoding.GetEncoding("GB18030", EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        encoding = null;
        for (int cut = 0; cut <= (wholeFile ? 0 : 3) && cut <= block.Length; cut++)
        {
            try
            {
                string text = strict.GetString(block[..^cut]);
                if (!text.Any(c => c is >= '\u4E00' and <= '\u9FFF')) return false;
                encoding = strict;
                return true;
            }
            catch (DecoderFallbackException)
            {
            }
        }
        return false;
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
