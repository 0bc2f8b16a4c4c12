using System.Buffers;
using Microsoft.AspNetCore.Http;

namespace Myna.Server.Streaming;

/// <summary>
/// The OpenAI streaming wire format: <c>text/event-stream</c>, each event one <c>data: {json}\n\n</c> line, the stream
/// ending with <c>data: [DONE]\n\n</c>. Every event is flushed at once so tokens reach the client as they are made.
/// </summary>
internal static class ServerSentEvents
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();
    private static readonly byte[] KeepAlive = ": keep-alive\n\n"u8.ToArray();

    /// <summary>Sends the 200 and the event-stream headers.</summary>
    public static async Task StartAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        // Proxies such as nginx buffer responses unless told not to; a buffered stream is no stream.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        // Flushed at once: a queued request's client learns it was accepted before its first token.
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Sends one <c>data:</c> event holding <paramref name="json"/>.</summary>
    public static async Task WriteAsync(HttpContext context, ReadOnlyMemory<byte> json)
    {
        var body = context.Response.BodyWriter;
        body.Write(DataPrefix);
        body.Write(json.Span);
        body.Write(EventEnd);
        await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Sends <c>: keep-alive</c>, a comment every SSE client skips, while a queued request has nothing to say.</summary>
    public static async Task WriteKeepAliveAsync(HttpContext context)
    {
        context.Response.BodyWriter.Write(KeepAlive);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Sends the closing <c>data: [DONE]</c>.</summary>
    public static async Task WriteDoneAsync(HttpContext context)
    {
        context.Response.BodyWriter.Write(Done);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
