using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Myna.Tests.Server;

/// <summary>Raw HTTP helpers: JSON posts and the OpenAI error body, read without any SDK in between.</summary>
internal static class ServerHttp
{
    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient http, string path, string json) =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public static Task<HttpResponseMessage> PostBytesAsync(this HttpClient http, string path, byte[] body, string contentType = "application/json")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return http.PostAsync(path, content);
    }

    /// <summary>The <c>error</c> object of an error answer, after checking it has exactly OpenAI's four fields (plus any <paramref name="extra"/>).</summary>
    public static async Task<JsonElement> ReadErrorAsync(this HttpResponseMessage response, params string[] extra)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using JsonDocument document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["error"], document.RootElement.EnumerateObject().Select(p => p.Name));
        JsonElement error = document.RootElement.GetProperty("error").Clone();
        Assert.Equal(new[] { "message", "type", "param", "code" }.Concat(extra), error.EnumerateObject().Select(p => p.Name));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        return error;
    }

    public static string? StringOrNull(this JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element.GetString();

    /// <summary>A chat body with one user message and extra fields (JSON members without braces).</summary>
    public static string Chat(string extra = "", string content = "Hello there") =>
        $$"""{"model":"{{RunningServer.ModelId}}","messages":[{"role":"user","content":{{JsonSerializer.Serialize(content)}}}],"max_tokens":8{{(extra.Length > 0 ? "," + extra : "")}}}""";
}
