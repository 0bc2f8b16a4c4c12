using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Myna.Server.Errors;

/// <summary>
/// Every error leaves the server as <c>{"error":{"message","type","param","code"}}</c>: validation errors, Kestrel's
/// own (413 body too large), routing's empty 404/405 answers, and — as a 500 that is always a bug — anything else.
/// </summary>
public static class ErrorHandling
{
    /// <summary>Turns exceptions and empty error answers into OpenAI error bodies.</summary>
    public static IApplicationBuilder UseOpenAiErrors(this IApplicationBuilder app)
    {
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client left; there is nobody to answer.
            }
            catch (OpenAiException error) when (!context.Response.HasStarted)
            {
                await WriteAsync(context, error).ConfigureAwait(false);
            }
            catch (BadHttpRequestException error) when (!context.Response.HasStarted)
            {
                string message = error.StatusCode == StatusCodes.Status413PayloadTooLarge
                    ? "The request body is larger than this server accepts (--max-body-bytes)."
                    : error.Message;
                await WriteAsync(context, new OpenAiException(error.StatusCode, message, "invalid_request_error")).ConfigureAwait(false);
            }
            catch (Exception error) when (!context.Response.HasStarted)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Myna.Server").LogError(error, "unhandled error");
                await WriteAsync(context, new OpenAiException(StatusCodes.Status500InternalServerError,
                    "The server failed while handling the request; this is a bug.", "server_error")).ConfigureAwait(false);
            }
        });
        // Routing answers unknown paths (404) and wrong methods (405) with empty bodies; give them the error shape too.
        app.UseStatusCodePages(async pages =>
        {
            HttpContext context = pages.HttpContext;
            int status = context.Response.StatusCode;
            string message = status switch
            {
                StatusCodes.Status404NotFound => $"There is no route {context.Request.Path}.",
                StatusCodes.Status405MethodNotAllowed => $"{context.Request.Method} is not allowed on {context.Request.Path}.",
                _ => $"The request failed with status {status}.",
            };
            await WriteAsync(context, new OpenAiException(status, message, "invalid_request_error")).ConfigureAwait(false);
        });
        return app;
    }

    /// <summary>Writes <paramref name="error"/> as the answer.</summary>
    public static Task WriteAsync(HttpContext context, OpenAiException error)
    {
        foreach ((string name, string value) in error.Headers) context.Response.Headers[name] = value;
        if (context.Features.Get<Hosting.RequestRecord>() is { } record) record.ErrorCode = error.Code ?? error.Type;
        return JsonBody.WriteAsync(context, error.Status, writer => Write(writer, error));
    }

    /// <summary>The error object <c>{"error":{…}}</c>: also what a stream sends when it fails after it began.</summary>
    public static void Write(Utf8JsonWriter writer, OpenAiException error)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", error.Message);
        writer.WriteString("type", error.Type);
        if (error.Param is null) writer.WriteNull("param");
        else writer.WriteString("param", error.Param);
        if (error.Code is null) writer.WriteNull("code");
        else writer.WriteString("code", error.Code);
        foreach ((string name, long value) in error.Details) writer.WriteNumber(name, value);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
