using System.Text;

namespace Myna.Text.Corpus;

/// <summary>Reads CSV (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) or TSV with a header row;
/// each data row's value in the named column is one document, numbered by the line on which the row starts.</summary>
/// <remarks>
/// Two kinds of damage are contained rather than passed on: a quote that never closes would make the rest of the file
/// one field (every later row swallowed), so at the end of the file such a row is reported and parsing resumes on the
/// line after its start; and a row longer than the ceiling is read through without being kept.
/// </remarks>
internal static class DelimitedReader
{
    public static IEnumerable<Document> Read(TextReader reader, string source, char delimiter, string column, int maxChars, Action<SkippedInput> skip)
    {
        var parser = new RecordParser(reader, delimiter, maxChars);
        if (parser.Next(out List<string> header, out _) != RecordStatus.Complete) yield break;
        if (header.Count > 0) header[0] = header[0].TrimStart('\uFEFF');
        int index = header.FindIndex(h => string.Equals(h.Trim(), column, StringComparison.Ordinal));
        if (index < 0) index = header.FindIndex(h => string.Equals(h.Trim(), column, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            skip(new SkippedInput(source, 0, $"no column '{column}' in header ({string.Join(", ", header)})"));
            yield break;
        }
        while (true)
        {
            RecordStatus status = parser.Next(out List<string> fields, out long startLine);
            if (status == RecordStatus.End) yield break;
            if (status == RecordStatus.UnterminatedQuote)
            {
                skip(new SkippedInput(source, startLine, "a quoted field never closes; the row is skipped and reading resumes on the next line"));
                continue;
            }
            if (status == RecordStatus.Overlong)
            {
                skip(new SkippedInput(source, startLine, JsonLinesReader.Overlong(parser.LastRecordChars, maxChars)));
                continue;
            }
            if (fields.Count == 1 && fields[0].Length == 0) continue; // blank line
            if (index < fields.Count) yield return new Document(fields[index], source, startLine);
            else skip(new SkippedInput(source, startLine, $"row has {fields.Count} fields, no '{column}'"));
        }
    }

    private enum RecordStatus { Complete, End, UnterminatedQuote, Overlong }

    /// <summary>A streaming RFC 4180 record parser over a text reader, able to re-read what a broken row swallowed.</summary>
    private sealed class RecordParser(TextReader reader, char delimiter, int maxChars)
    {
        private long _line = 1;
        private int _peeked = -2;
        private string _replay = "";
        private int _replayAt;
        // The raw characters of the record being parsed, kept only while a quoted field may turn out never to close.
        private readonly StringBuilder _raw = new();

        /// <summary>Characters in the last record parsed.</summary>
        public long LastRecordChars { get; private set; }

        private int ReadChar() => _replayAt < _replay.Length ? _replay[_replayAt++] : reader.Read();

        private int Peek()
        {
            if (_peeked == -2) _peeked = ReadChar();
            return _peeked;
        }

        private int Next()
        {
            int c = Peek();
            _peeked = -2;
            if (c == '\n') _line++;
            return c;
        }

        public RecordStatus Next(out List<string> fields, out long startLine)
        {
            fields = [];
            startLine = _line;
            if (Peek() < 0) return RecordStatus.End;
            var field = new StringBuilder();
            bool quoted = false, fieldStart = true, overlong = false, everQuotedAcrossLines = false;
            long chars = 0;
            _raw.Clear();
            while (true)
            {
                int c = Next();
                if (c >= 0)
                {
                    chars++;
                    if (!overlong && chars > maxChars)
                    {
                        overlong = true;
                        field.Clear();
                        fields.Clear();
                        _raw.Clear();
                    }
                    if (!overlong && quoted) _raw.Append((char)c);
                    else if (!overlong && _raw.Length > 0) _raw.Append((char)c);
                }
                LastRecordChars = chars;
                if (c < 0)
                {
                    if (quoted && !overlong && everQuotedAcrossLines && Resume(startLine)) return RecordStatus.UnterminatedQuote;
                    if (quoted && !overlong) return RecordStatus.UnterminatedQuote;
                    if (overlong) return RecordStatus.Overlong;
                    fields.Add(field.ToString());
                    return RecordStatus.Complete;
                }
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (Peek() == '"')
                        {
                            Next();
                            chars++;
                            if (!overlong)
                            {
                                field.Append('"');
                                _raw.Append('"');
                            }
                        }
                        else quoted = false;
                    }
                    else
                    {
                        if (c == '\n') everQuotedAcrossLines = true;
                        if (!overlong) field.Append((char)c);
                    }
                    continue;
                }
                if (c == '"' && fieldStart && delimiter == ',')
                {
                    quoted = true;
                    fieldStart = false;
                    // From here the row may have to be re-read: keep its raw text from the start of the record on.
                    if (_raw.Length == 0 && !overlong) _raw.Append(RawSoFar(fields, field)).Append('"');
                    continue;
                }
                if (c == delimiter)
                {
                    if (!overlong) fields.Add(field.ToString());
                    field.Clear();
                    fieldStart = true;
                    continue;
                }
                if (c == '\r' && Peek() == '\n') continue;
                if (c == '\n')
                {
                    if (overlong) return RecordStatus.Overlong;
                    fields.Add(field.ToString());
                    return RecordStatus.Complete;
                }
                if (!overlong) field.Append((char)c);
                fieldStart = false;
            }
        }

        /// <summary>The record's text before its first quote, rebuilt from the fields parsed so far (none were quoted).</summary>
        private string RawSoFar(List<string> fields, StringBuilder field) =>
            string.Concat(fields.Select(f => f + delimiter)) + field;

        /// <summary>Replays what the broken row swallowed after its first line, so the rows there are read as rows.</summary>
        private bool Resume(long startLine)
        {
            string raw = _raw.ToString();
            int firstBreak = raw.IndexOf('\n', StringComparison.Ordinal);
            if (firstBreak < 0) return false;
            _replay = raw[(firstBreak + 1)..] + _replay[_replayAt..];
            _replayAt = 0;
            _peeked = -2;
            _line = startLine + 1;
            return true;
        }
    }
}
