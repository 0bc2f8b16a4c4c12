using System.Text;

namespace Myna.Text.Corpus;

/// <summary>Reads plain text: the whole file as one document, or each blank-line-separated block as one.</summary>
internal static class PlainTextReader
{
    public static IEnumerable<Document> Read(TextReader reader, string source, bool splitParagraphs)
    {
        var block = new StringBuilder();
        long lineNumber = 0;
        long blockStart = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
            if (splitParagraphs && string.IsNullOrWhiteSpace(line))
            {
                if (block.Length > 0)
                {
                    yield return new Document(block.ToString(), source, blockStart);
                    block.Clear();
                }
                continue;
            }
            if (block.Length == 0) blockStart = lineNumber;
            else block.Append('\n');
            block.Append(line);
        }
        if (block.Length > 0) yield return new Document(block.ToString(), source, blockStart);
    }
}
