using System.Text.Json;

namespace Myna.Apps.Support;

/// <summary>Field access for the support data's JSON lines, with messages that name the field.</summary>
internal static class JsonLines
{
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
