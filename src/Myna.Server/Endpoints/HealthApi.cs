using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Myna.Server.Hosting;

namespace Myna.Server.Endpoints;

/// <summary>
/// <c>GET /health</c> (liveness: the process answers; the model is loaded before the server listens) and
/// <c>GET /ready</c> (readiness: 503 once the host has begun to stop, so a load balancer sends no new work).
/// </summary>
public static class HealthApi
{
    /// <summary>Maps the probe routes.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", (HttpContext context) => JsonBody.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("status", "ok");
            writer.WriteEndObject();
        }));
        routes.MapGet("/ready", (HttpContext context, IHostApplicationLifetime lifetime, ServerDrain drain) =>
        {
            bool draining = drain.IsDraining || lifetime.ApplicationStopping.IsCancellationRequested;
            if (draining)
            {
                foreach ((string name, string value) in Limits.RateLimits.RetryHeaders(drain.RetryAfter)) context.Response.Headers[name] = value;
            }
            return JsonBody.WriteAsync(context, draining ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("status", draining ? "draining" : "ready");
                writer.WriteEndObject();
            });
        });
        return routes;
    }
}
