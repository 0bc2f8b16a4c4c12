using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Myna.Server.Metrics;

namespace Myna.Server.Endpoints;

/// <summary>
/// <c>GET /metrics</c>: the <c>Myna.Serving</c> meter in Prometheus text format. Public like the probes (scrapers carry
/// no client key, and the figures are counts and times, never content); bind to loopback or filter it at the proxy to
/// keep queue depths private.
/// </summary>
public static class MetricsApi
{
    /// <summary>Maps the metrics route.</summary>
    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/metrics", (PrometheusText exposition) => TypedResults.Text(exposition.Write(), PrometheusText.ContentType));
        return routes;
    }
}
