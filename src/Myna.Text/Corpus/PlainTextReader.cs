using System.Text;

namespace Myna.Text.Corpus;

/// <summary>Reads plain text: the whole file as one document, or each blank-line-separated block as one. A document
/// longer than the ceiling is read through without being kept and reported as skipped.</summary>
internal static class PlainTextReader
{
    public static IEnumerable<Document> Read(TextReader reader, string source, bool splitParagraphs, int maxChars, Action<SkippedInput> skip)
    {
        var block = new StringBuilder();
        long lineNumber = 0;
        long blockStart = 0;
        bool overlong = false;
        long overlongChars = 0;
        var lines = new BoundedLineReader(reader, maxChars);
        while (lines.TryReadLine(out string? line, out long lineChars))
        {
            lineNumber++;
            if (splitParagraphs && line is not null && string.IsNullOrWhiteSpace(line))
            {
                if (overlong) skip(new SkippedInput(source, blockStart, JsonLinesReader.Overlong(overlongChars, maxChars)));
                else if (block.Length > 0) yield return new Document(block.ToString(), source, blockStart);
                block.Clear();
                overlong = false;
                continue;
            }
            if (overlong)
            {
                overlongChars += (line?.Length ?? lineChars) + 1;
                continue;
            }
            long size = block.Length + (block.Length == 0 ? 0 : 1) + (line?.Length ?? lineChars);
            if (line is null || size > maxChars)
            {
                if (block.Length == 0) blockStart = lineNumber;
                overlong = true;
                overlongChars = size;
                block.Clear();
                continue;
            }
            if (block.Length == 0) blockStart = lineNumber;
            else block.Append('\n');
            block.Append(line);
        }
        if (overlong) skip(new SkippedInput(source, blockStart, JsonLinesReader.Overlong(overlongChars, maxChars)));
        else if (block.Length > 0) yield return new Document(block.ToString(), source, blockStart);
    }
}
