using System.Text.Json;

namespace Myna.Apps.Support;

/// <summary>Field access for the support data's JSON lines, with messages that name the field.</summary>
internal static class JsonLines
{
    /// <summary>
    /// Every object of the JSON-lines file <paramref name="path"/> through <paramref name="parse"/>, blank lines skipped;
    /// a line that fails is named by its number.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="what">What the file holds, for the not-found message ("FAQ", "questions").</param>
    /// <param name="parse">One line's object to its record.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is not valid JSON or not such a record (its number is named).</exception>
    public static List<T> Read<T>(string path, string what, Func<JsonElement, T> parse)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{what} file '{path}' not found.", path);
        var records = new List<T>();
        int number = 0;
        foreach (string line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using JsonDocument document = JsonDocument.Parse(line);
                records.Add(parse(document.RootElement));
            }
            catch (Exception error) when (error is JsonException or InvalidDataException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path} line {number}: {error.Message}", error);
            }
        }
        return records;
    }

    /// <summary>The string field <paramref name="name"/> of an object.</summary>
    /// <exception cref="InvalidDataException">The value is not an object, or the field is missing or not a string.</exception>
    public static string RequiredString(JsonElement element, string name) =>
        OptionalString(element, name) ?? throw new InvalidDataException($"field '{name}' is missing.");

    /// <summary>The string field <paramref name="name"/>, or null when it is missing or null.</summary>
    /// <exception cref="InvalidDataException">The value is not an object, or the field is not a string.</exception>
    public static string? OptionalString(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new InvalidDataException("expected a JSON object.");
        if (!element.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw new InvalidDataException($"field '{name}' must be a string.");
        return value.GetString();
    }
}
