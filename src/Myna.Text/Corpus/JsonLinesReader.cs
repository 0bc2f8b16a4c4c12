using System.Text.Json;

namespace Myna.Text.Corpus;

/// <summary>Reads JSON Lines: one object per line, the document text in a chosen string field.</summary>
internal static class JsonLinesReader
{
    public static IEnumerable<Document> Read(TextReader reader, string source, string textField, Action<SkippedInput> skip)
    {
        long lineNumber = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            lineNumber++;
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
}
