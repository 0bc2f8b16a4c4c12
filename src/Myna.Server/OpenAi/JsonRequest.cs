using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Myna.Server.Errors;

namespace Myna.Server.OpenAi;

/// <summary>
/// A request body read field by field: each accessor checks the type and range and names the parameter when it is
/// wrong (a 400 with <c>param</c>), and records the field as understood, so the rest can be reported as ignored.
/// </summary>
internal sealed class JsonRequest
{
    /// <summary>Nesting deeper than this is refused: no OpenAI request needs more, and it bounds the parser's work.</summary>
    public const int MaxDepth = 64;

    private readonly JsonElement _root;
    private readonly HashSet<string> _understood = new(StringComparer.Ordinal);

    private JsonRequest(JsonElement root) => _root = root;

    /// <summary>Reads a JSON object body: 415 when the content type is not JSON, 400 when the bytes are not a JSON object.</summary>
    public static async Task<JsonRequest> ReadAsync(HttpRequest request)
    {
        if (!request.HasJsonContentType())
            throw new OpenAiException(StatusCodes.Status415UnsupportedMediaType,
                $"The request body must be JSON (Content-Type: application/json); it is '{request.ContentType ?? "none"}'.", "invalid_request_error", null, "unsupported_media_type");
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = MaxDepth }, request.HttpContext.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException error)
        {
            throw OpenAiException.InvalidParameter(null, $"The request body is not valid JSON (or UTF-8, or nests deeper than {MaxDepth}): {error.Message}", "invalid_json");
        }
        if (!HasValidText(document.RootElement))
            throw OpenAiException.InvalidParameter(null, "The request body holds a string that is not valid UTF-8 (or an unpaired surrogate escape).", "invalid_json");
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw OpenAiException.InvalidParameter(null, $"The request body must be a JSON object; it is {Describe(document.RootElement)}.", "invalid_json");
        return new JsonRequest(document.RootElement.Clone());
    }

    /// <summary>
    /// Whether every string and property name decodes: the parser checks structure but leaves string contents to be
    /// decoded on access, where bad bytes would surface as a 500 deep inside a handler.
    /// </summary>
    private static bool HasValidText(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.String:
                    _ = element.GetString();
                    return true;
                case JsonValueKind.Array:
                    return element.EnumerateArray().All(HasValidText);
                case JsonValueKind.Object:
                    return element.EnumerateObject().All(p => p.Name is not null && HasValidText(p.Value));
                default:
                    return true;
            }
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Top-level fields this server did not read, in the order sent (reported in X-Myna-Ignored-Fields).</summary>
    public IReadOnlyList<string> IgnoredFields =>
        _root.EnumerateObject().Select(p => p.Name).Where(name => !_understood.Contains(name)).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The field, or null when it is absent or JSON null.</summary>
    public JsonElement? Get(string name)
    {
        _understood.Add(name);
        return _root.TryGetProperty(name, out JsonElement value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    /// <summary>A string field.</summary>
    public string? String(string name) => Get(name) is { } value ? StringOf(value, name) : null;

    /// <summary>A boolean field.</summary>
    public bool? Boolean(string name) => Get(name) is { } value ? BooleanOf(value, name) : null;

    /// <summary>A number field within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public double? Number(string name, double min, double max) => Get(name) is { } value ? NumberOf(value, name, min, max) : null;

    /// <summary>An integer field within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long? Integer(string name, long min, long max) => Get(name) is { } value ? IntegerOf(value, name, min, max) : null;

    /// <summary>Refuses a field when present: 400 naming it, with <paramref name="why"/>.</summary>
    public void Refuse(string name, string why)
    {
        if (Get(name) is not null) throw OpenAiException.InvalidParameter(name, why, "unsupported_parameter");
    }

    public static string StringOf(JsonElement value, string param) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(param, "a string", value);

    public static bool BooleanOf(JsonElement value, string param) =>
        value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw WrongType(param, "a boolean", value);

    public static double NumberOf(JsonElement value, string param, double min, double max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number)) throw WrongType(param, "a number", value);
        if (!(number >= min && number <= max)) throw OpenAiException.InvalidParameter(param, $"'{param}' must be between {min} and {max}; it is {number}.");
        return number;
    }

    public static long IntegerOf(JsonElement value, string param, long min, long max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number))
        {
            // Large or fractional numbers are numbers of the wrong kind; say so rather than "not an integer" for 1e30.
            if (value.ValueKind == JsonValueKind.Number) throw OpenAiException.InvalidParameter(param, $"'{param}' must be an integer between {min} and {max}; it is {value.GetRawText()}.");
            throw WrongType(param, "an integer", value);
        }
        if (number < min || number > max) throw OpenAiException.InvalidParameter(param, $"'{param}' must be between {min} and {max}; it is {number}.");
        return number;
    }

    public static OpenAiException WrongType(string param, string expected, JsonElement value) =>
        OpenAiException.InvalidParameter(param, $"'{param}' must be {expected}; it is {Describe(value)}.", "invalid_type");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
