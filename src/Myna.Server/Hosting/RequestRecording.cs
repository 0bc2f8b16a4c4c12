using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Myna.Server.Audit;
using Myna.Server.Metrics;

namespace Myna.Server.Hosting;

/// <summary>
/// The outermost middleware: gives every request its <see cref="RequestRecord"/> and <c>X-Request-Id</c> (a generation
/// answer replaces it with its own id), sets the security headers on every response, and when the request is over
/// counts it in the metrics and writes its audit line — after the answer's last byte, so a client may see its answer a
/// moment before the request is counted.
/// </summary>
public static class RequestRecording
{
    /// <summary>The Content-Security-Policy every response carries: the playground loads its scripts, styles and data from this server only.</summary>
    public const string ContentSecurityPolicy = "default-src 'self'";

    /// <summary>The status recorded (metrics, audit log) for a request whose client left before its answer ended; nothing is sent.</summary>
    public const int ClientClosedRequest = 499;

    /// <summary>Records every request.</summary>
    public static IApplicationBuilder UseRequestRecording(this IApplicationBuilder app, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ServingMetrics metrics = app.ApplicationServices.GetRequiredService<ServingMetrics>();
        AuditLog? audit = app.ApplicationServices.GetService<AuditLog>();
        app.Use(async (context, next) =>
        {
            // The route pattern, never the raw path: random paths must not grow the metric labels without bound.
            string route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched";
            var record = new RequestRecord("req-" + Guid.NewGuid().ToString("N"), route)
            {
                Metrics = metrics,
                KeepContent = audit is not null && options.LogContent,
            };
            context.Features.Set(record);
            RequestRecord.Current = record;
            context.Response.Headers["X-Request-Id"] = record.RequestId;
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Task.CompletedTask;
            });
            CancellationToken client = context.RequestAborted;
            int? failed = null;
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception) when (client.IsCancellationRequested)
            {
                // A write to a client that has gone (the connection reset mid-stream): nobody to answer, nothing to log.
            }
            catch
            {
                // Only what escaped the error handler gets here: a failure after the answer began.
                failed = StatusCodes.Status500InternalServerError;
                throw;
            }
            finally
            {
                RequestRecord.Current = null;
                TimeSpan elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(record.Started);
                // 499 (nginx's "client closed request") for a client that left before its answer ended.
                int status = client.IsCancellationRequested ? ClientClosedRequest : failed ?? context.Response.StatusCode;
                if (client.IsCancellationRequested && record.Submitted) metrics.RecordCancelled("client_left");
                metrics.RecordRequest(record, status, elapsed);
                try
                {
                    audit?.Write(record, context.Request.Method, status, elapsed);
                }
                catch (IOException error)
                {
                    // A full disk must not fail the answers; it must not go unnoticed either.
                    context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Myna.Server.Audit")
                        .LogError(error, "could not write the audit log line of {RequestId}", record.RequestId);
                }
            }
        });
        return app;
    }
}
