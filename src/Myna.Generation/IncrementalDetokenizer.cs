using System.Buffers;
using System.Text;
using Myna.Text.Tokenization;

namespace Myna.Generation;

/// <summary>
/// Text of a growing id sequence, decoded one token at a time with constant work per token: each token's bytes are
/// appended, complete characters are decoded and kept, and an incomplete UTF-8 tail (at most 3 bytes) waits for the next
/// token. <see cref="Length"/>, the indexer and <see cref="ToString()"/> describe exactly what
/// <see cref="GptTokenizer.Decode"/> of all ids so far gives (with <c>skipSpecialTokens</c>): a waiting tail reads
/// as one U+FFFD, as the full decode shows it, and becomes its real character once completed.
/// </summary>
/// <remarks>
/// Invalid bytes are replaced as .NET's UTF-8 decoder does (one U+FFFD per maximal invalid subsequence), decided by
/// <see cref="Rune.DecodeFromUtf8"/>, which follows the same rule. A special token ends the byte run, as in Decode.
/// </remarks>
internal sealed class IncrementalDetokenizer(GptTokenizer tokenizer)
{
    private char[] _chars = new char[64]; // the decoded text of every complete character so far
    private int _length;
    private readonly byte[] _pending = new byte[8]; // bytes of a character not yet complete (≤ 3), then a token's bytes
    private int _pendingCount;

    /// <summary>Characters of the text so far, counting a waiting incomplete tail as one U+FFFD.</summary>
    public int Length => _length + (_pendingCount > 0 ? 1 : 0);

    /// <summary>Characters that are final: later tokens append after them and never change them.</summary>
    public int FinalLength => _length;

    /// <summary>The character at <paramref name="index"/> of the text so far.</summary>
    public char this[int index] => index < _length ? _chars[index] : index == _length && _pendingCount > 0 ? '\uFFFD' : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>Appends one token (its bytes, or a special token's text unless skipped).</summary>
    public void Append(int id)
    {
        if (!tokenizer.TryGetTokenBytes(id, out ReadOnlyMemory<byte> bytes))
        {
            Flush();
            string special = tokenizer.Decode([id], skipSpecialTokens: true);
            Write(special);
            return;
        }
        ReadOnlySpan<byte> tokenBytes = bytes.Span;
        if (_pendingCount == 0)
        {
            DecodeComplete(tokenBytes);
            return;
        }
        // Join the waiting tail with the first bytes of this token: the tail needs at most 3 more to be decided.
        int joined = Math.Min(tokenBytes.Length, _pending.Length - _pendingCount);
        tokenBytes[..joined].CopyTo(_pending.AsSpan(_pendingCount));
        int before = _pendingCount;
        _pendingCount += joined;
        int consumed = DecodeRunes(_pending.AsSpan(0, _pendingCount));
        if (joined == tokenBytes.Length)
        {
            // The whole token was joined: what is left undecided is the new tail.
            int rest = _pendingCount - consumed;
            _pending.AsSpan(consumed, rest).CopyTo(_pending);
            _pendingCount = rest;
            return;
        }
        // With 3 or more bytes after it the old tail is decided (a character has at most 4 bytes), and an invalid one's
        // replacement covers all of it (it was a valid prefix), so decoding stopped inside this token's bytes.
        _pendingCount = 0;
        DecodeComplete(tokenBytes[(consumed - before)..]);
    }

    /// <summary>Ends the byte run: a waiting incomplete tail becomes U+FFFD for good (as at a special token).</summary>
    public void Flush()
    {
        if (_pendingCount == 0) return;
        _pendingCount = 0;
        Write("\uFFFD");
    }

    /// <summary>Characters [<paramref name="start"/>, <see cref="Length"/>) of the text so far.</summary>
    public string Substring(int start)
    {
        int end = Length;
        if ((uint)start > (uint)end) throw new ArgumentOutOfRangeException(nameof(start));
        return _pendingCount > 0 ? string.Concat(_chars.AsSpan(start, Math.Max(0, _length - start)), "\uFFFD") : new string(_chars, start, _length - start);
    }

    /// <summary>Characters [0, <paramref name="length"/>) of the text so far.</summary>
    public string Prefix(int length)
    {
        if ((uint)length > (uint)Length) throw new ArgumentOutOfRangeException(nameof(length));
        return length <= _length ? new string(_chars, 0, length) : string.Concat(_chars.AsSpan(0, _length), "\uFFFD");
    }

    /// <summary>Characters [<paramref name="start"/>, <paramref name="start"/> + <paramref name="length"/>) of the text so far.</summary>
    public string Slice(int start, int length)
    {
        if (start < 0 || length < 0 || start + length > Length) throw new ArgumentOutOfRangeException(nameof(length));
        int inFinal = Math.Min(length, Math.Max(0, _length - start));
        return inFinal == length ? new string(_chars, start, length) : string.Concat(_chars.AsSpan(start, inFinal), "\uFFFD");
    }

    /// <summary>The whole text so far.</summary>
    public override string ToString() => Prefix(Length);

    private void DecodeComplete(ReadOnlySpan<byte> bytes)
    {
        int consumed = DecodeRunes(bytes);
        int rest = bytes.Length - consumed;
        bytes[consumed..].CopyTo(_pending);
        _pendingCount = rest;
    }

    /// <summary>Decodes whole characters (and invalid sequences as U+FFFD); returns the bytes consumed, stopping before an incomplete tail.</summary>
    private int DecodeRunes(ReadOnlySpan<byte> bytes)
    {
        int at = 0;
        Span<char> utf16 = stackalloc char[2];
        while (at < bytes.Length)
        {
            OperationStatus status = Rune.DecodeFromUtf8(bytes[at..], out Rune rune, out int used);
            if (status == OperationStatus.NeedMoreData) break;
            // Done gives the character; InvalidData gives U+FFFD for the maximal invalid subsequence (`used` bytes).
            int written = rune.EncodeToUtf16(utf16);
            Write(utf16[..written]);
            at += used;
        }
        return at;
    }

    private void Write(ReadOnlySpan<char> text)
    {
        if (_length + text.Length > _chars.Length) Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _length + text.Length));
        text.CopyTo(_chars.AsSpan(_length));
        _length += text.Length;
    }
}
