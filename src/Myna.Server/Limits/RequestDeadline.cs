using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Myna.Server.Errors;
using Myna.Server.Hosting;
using Myna.Server.Metrics;
using Myna.Server.Streaming;

namespace Myna.Server.Limits;

/// <summary>
/// Ends a request that runs past <c>--request-timeout</c>, or past the shutdown grace, as if its client had left — the
/// handlers pass <see cref="HttpContext.RequestAborted"/> to the scheduler, so the generation stops and its slot is freed
/// at the next step — and then answers for it: a 504 (timeout) or 503 (shutdown) body when nothing was sent yet, or the
/// same error as an in-band <c>data: {"error":…}</c> event when a stream had begun.
/// </summary>
public static class RequestDeadline
{
    /// <summary>Links every request's abort token to its deadline and the shutdown grace.</summary>
    public static IApplicationBuilder UseRequestDeadline(this IApplicationBuilder app, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ServerDrain drain = app.ApplicationServices.GetRequiredService<ServerDrain>();
        app.Use(async (context, next) =>
        {
            if (ServerDrain.IsProbe(context.Request.Path))
            {
                await next(context).ConfigureAwait(false);
                return;
            }
            CancellationToken client = context.RequestAborted;
            using var timeout = options.RequestTimeout is { } limit ? new CancellationTokenSource(limit) : null;
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(client, drain.GraceOver, timeout?.Token ?? CancellationToken.None);
            context.RequestAborted = ended.Token;
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!client.IsCancellationRequested && ended.IsCancellationRequested)
            {
                context.RequestAborted = client;
                bool timedOut = timeout?.IsCancellationRequested == true;
                OpenAiException error = timedOut ? OpenAiException.Timeout(options.RequestTimeout!.Value) : GenerationRun.ShuttingDown();
                context.RequestServices.GetService<ServingMetrics>()?.RecordCancelled(timedOut ? "timeout" : "shutdown");
                if (!context.Response.HasStarted) throw error;
                if (context.Response.ContentType?.StartsWith("text/event-stream", StringComparison.Ordinal) == true)
                {
                    // The stream began with 200: the error goes in-band, as the SDKs expect, and the stream closes.
                    await ServerSentEvents.WriteAsync(context, LateError.Describe(error)).ConfigureAwait(false);
                }
            }
            finally
            {
                context.RequestAborted = client;
            }
        });
        return app;
    }
}
