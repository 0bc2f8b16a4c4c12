using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Myna.Server.Errors;
using Myna.Server.Hosting;
using Myna.Server.Metrics;

namespace Myna.Server.Security;

/// <summary>
/// Admits a request only with a valid key, sent as <c>Authorization: Bearer KEY</c> (what the OpenAI SDKs send) or
/// <c>X-Api-Key: KEY</c>. Health, readiness, metrics, the model list and the playground's files stay public: probes,
/// Prometheus scrapers and discovery carry no client key, and none of them reveals a prompt or an output (metrics are
/// counts and times only). Everything else — generation, tokenization — needs a key.
/// </summary>
public static class ApiKeyAuthentication
{
    private static readonly PathString[] PublicPaths = ["/health", "/ready", "/metrics", "/v1/models"];

    /// <summary>Requires a key from <paramref name="keys"/> on every non-public route (nothing, when the set is empty).</summary>
    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app, ApiKeySet keys)
    {
        if (keys.IsEmpty) return app;
        app.Use(async (context, next) =>
        {
            string? key = PresentedKey(context.Request);
            if (keys.Contains(key))
            {
                if (context.Features.Get<RequestRecord>() is { } record) record.KeyId = ApiKeySet.KeyId(key!);
                await next(context).ConfigureAwait(false);
                return;
            }
            if (IsPublic(context.Request.Path, context.Request.Method))
            {
                await next(context).ConfigureAwait(false);
                return;
            }
            bool presented = key is not null;
            context.RequestServices.GetService<ServingMetrics>()?.RecordRejected("unauthorized");
            throw new OpenAiException(StatusCodes.Status401Unauthorized,
                presented ? "Incorrect API key provided." : "No API key provided. Send it as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'.",
                "invalid_request_error", null, "invalid_api_key")
            {
                Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer realm=\"myna\"" },
            };
        });
        return app;
    }

    /// <summary>Whether <paramref name="path"/> is a public route: the probes, metrics, the model list, or (with GET or HEAD) a static file outside the API.</summary>
    internal static bool IsPublic(PathString path, string method = "GET") =>
        PublicPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase) || (p == "/v1/models" && path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)))
        || ((HttpMethods.IsGet(method) || HttpMethods.IsHead(method)) && !path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWithSegments("/tokenize", StringComparison.OrdinalIgnoreCase) && !path.StartsWithSegments("/detokenize", StringComparison.OrdinalIgnoreCase));

    private static string? PresentedKey(HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim();
        string? header = request.Headers["X-Api-Key"];
        return string.IsNullOrWhiteSpace(header) ? null : header.Trim();
    }
}
