using System.Text.Json;

namespace Myna.Text.Corpus;

/// <summary>Reads JSON Lines: one object per line, the document text in a chosen string field.</summary>
internal static class JsonLinesReader
{
    public static IEnumerable<Document> Read(TextReader reader, string source, string textField, int maxChars, Action<SkippedInput> skip)
    {
        long lineNumber = 0;
        var lines = new BoundedLineReader(reader, maxChars);
        while (lines.TryReadLine(out string? line, out long overlong))
        {
            lineNumber++;
            if (line is null)
            {
                skip(new SkippedInput(source, lineNumber, Overlong(overlong, maxChars)));
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) continue;
            string? text = null;
            string? problem = null;
            try
            {
                using var json = JsonDocument.Parse(line);
                if (json.RootElement.ValueKind != JsonValueKind.Object) problem = "JSON line is not an object";
                else if (!json.RootElement.TryGetProperty(textField, out JsonElement value)) problem = $"no field '{textField}'";
                else if (value.ValueKind != JsonValueKind.String) problem = $"field '{textField}' is not a string";
                else text = value.GetString();
            }
            catch (JsonException ex)
            {
                problem = $"malformed JSON ({ex.Message.Split('.')[0]})";
            }
            if (text is not null) yield return new Document(text, source, lineNumber);
            else skip(new SkippedInput(source, lineNumber, problem ?? "no text"));
        }
    }

    /// <summary>The skip reason for a line or record over the ceiling.</summary>
    internal static string Overlong(long chars, int maxChars) =>
        $"{chars:N0} characters, over the {maxChars:N0}-character limit for one document; skipped without holding it in memory";
}
