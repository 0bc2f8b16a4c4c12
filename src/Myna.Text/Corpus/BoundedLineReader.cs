using System.Text;

namespace Myna.Text.Corpus;

/// <summary>
/// Reads lines with a ceiling on their length: <see cref="TextReader.ReadLine"/> builds a string of whatever length the
/// file holds, so a 14 MB gzip of one 3 GB line needs gigabytes. A line past the ceiling is read through and thrown
/// away as it goes, and reported by its length, so memory stays bounded by the ceiling whatever the input.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader, int maxChars)
{
    private readonly char[] _buffer = new char[1 << 14];
    private readonly StringBuilder _line = new();
    private int _start, _end;

    /// <summary>The longest line kept, in characters.</summary>
    public int MaxChars { get; } = maxChars;

    /// <summary>
    /// The next line without its terminator (\n, \r\n or \r, as <see cref="TextReader.ReadLine"/> ends them), or null at
    /// the end. A line longer than <see cref="MaxChars"/> comes back as null text with <paramref name="overlongChars"/>
    /// its length; otherwise <paramref name="overlongChars"/> is 0.
    /// </summary>
    /// <returns>False at the end of the input.</returns>
    public bool TryReadLine(out string? line, out long overlongChars)
    {
        _line.Clear();
        long length = 0;
        bool any = false;
        while (true)
        {
            if (_start == _end)
            {
                _end = reader.Read(_buffer, 0, _buffer.Length);
                _start = 0;
                if (_end == 0) break;
            }
            any = true;
            int found = _buffer.AsSpan(_start, _end - _start).IndexOfAny('\n', '\r');
            int stop = found < 0 ? -1 : _start + found;
            int take = (stop < 0 ? _end : stop) - _start;
            if (length + take <= MaxChars) _line.Append(_buffer, _start, take);
            length += take;
            if (stop < 0)
            {
                _start = _end;
                continue;
            }
            _start = stop + 1;
            if (_buffer[stop] == '\r') SkipLineFeed();
            return Finish(out line, out overlongChars, length);
        }
        if (!any)
        {
            line = null;
            overlongChars = 0;
            return false;
        }
        return Finish(out line, out overlongChars, length);
    }

    private bool Finish(out string? line, out long overlongChars, long length)
    {
        bool overlong = length > MaxChars;
        line = overlong ? null : _line.ToString();
        overlongChars = overlong ? length : 0;
        if (overlong) _line.Clear();
        // A builder that once held a long line keeps its capacity; let it go.
        if (_line.Capacity > 1 << 20) _line.Capacity = 1 << 16;
        return true;
    }

    private void SkipLineFeed()
    {
        if (_start == _end)
        {
            _end = reader.Read(_buffer, 0, _buffer.Length);
            _start = 0;
        }
        if (_start < _end && _buffer[_start] == '\n') _start++;
    }
}
