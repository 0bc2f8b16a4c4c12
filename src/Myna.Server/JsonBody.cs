using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Myna.Server;

/// <summary>Writes JSON answers with <see cref="Utf8JsonWriter"/>, so every field (and every explicit null) is spelled as the OpenAI API spells it.</summary>
internal static class JsonBody
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    /// <summary>The UTF-8 bytes <paramref name="write"/> produces.</summary>
    public static ReadOnlyMemory<byte> Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) write(writer);
        return buffer.WrittenMemory;
    }

    /// <summary>Answers with <paramref name="status"/> and the JSON <paramref name="write"/> produces.</summary>
    public static async Task WriteAsync(HttpContext context, int status, Action<Utf8JsonWriter> write)
    {
        ReadOnlyMemory<byte> body = Build(write);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
