using System.Text;

namespace Myna.Text.Corpus;

/// <summary>Reads CSV (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes) or TSV with a header row;
/// each data row's value in the named column is one document, numbered by the line on which the row starts.</summary>
internal static class DelimitedReader
{
    public static IEnumerable<Document> Read(TextReader reader, string source, char delimiter, string column, Action<SkippedInput> skip)
    {
        var parser = new RecordParser(reader, delimiter);
        if (!parser.TryNext(out List<string> header, out _)) yield break;
        if (header.Count > 0) header[0] = header[0].TrimStart('\uFEFF');
        int index = header.FindIndex(h => string.Equals(h.Trim(), column, StringComparison.Ordinal));
        if (index < 0) index = header.FindIndex(h => string.Equals(h.Trim(), column, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            skip(new SkippedInput(source, 0, $"no column '{column}' in header ({string.Join(", ", header)})"));
            yield break;
        }
        while (parser.TryNext(out List<string> fields, out long startLine))
        {
            if (fields.Count == 1 && fields[0].Length == 0) continue; // blank line
            if (index < fields.Count) yield return new Document(fields[index], source, startLine);
            else skip(new SkippedInput(source, startLine, $"row has {fields.Count} fields, no '{column}'"));
        }
    }

    /// <summary>A streaming RFC 4180 record parser over a text reader.</summary>
    private sealed class RecordParser(TextReader reader, char delimiter)
    {
        private long _line = 1;
        private int _peeked = -2;

        private int Peek()
        {
            if (_peeked == -2) _peeked = reader.Read();
            return _peeked;
        }

        private int Next()
        {
            int c = Peek();
            _peeked = -2;
            if (c == '\n') _line++;
            return c;
        }

        public bool TryNext(out List<string> fields, out long startLine)
        {
            fields = [];
            startLine = _line;
            if (Peek() < 0) return false;
            var field = new StringBuilder();
            bool quoted = false;
            bool fieldStart = true;
            while (true)
            {
                int c = Next();
                if (c < 0)
                {
                    fields.Add(field.ToString());
                    return true;
                }
                if (quoted)
                {
                    if (c == '"')
                    {
                        if (Peek() == '"') { Next(); field.Append('"'); }
                        else quoted = false;
                    }
                    else field.Append((char)c);
                    continue;
                }
                if (c == '"' && fieldStart && delimiter == ',')
                {
                    quoted = true;
                    fieldStart = false;
                    continue;
                }
                if (c == delimiter)
                {
                    fields.Add(field.ToString());
                    field.Clear();
                    fieldStart = true;
                    continue;
                }
                if (c == '\r' && Peek() == '\n') continue;
                if (c == '\n')
                {
                    fields.Add(field.ToString());
                    return true;
                }
                field.Append((char)c);
                fieldStart = false;
            }
        }
    }
}
