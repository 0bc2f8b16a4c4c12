using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Myna.Server.Errors;

namespace Myna.Server.Security;

/// <summary>
/// Admits a request only with a valid key, sent as <c>Authorization: Bearer KEY</c> (what the OpenAI SDKs send) or
/// <c>X-Api-Key: KEY</c>. Health, readiness and the model list stay public so probes and discovery need no secret.
/// </summary>
public static class ApiKeyAuthentication
{
    private static readonly PathString[] PublicPaths = ["/health", "/ready", "/v1/models"];

    /// <summary>Requires a key from <paramref name="keys"/> on every non-public route (nothing, when the set is empty).</summary>
    public static IApplicationBuilder UseApiKeys(this IApplicationBuilder app, ApiKeySet keys)
    {
        if (keys.IsEmpty) return app;
        app.Use(async (context, next) =>
        {
            if (IsPublic(context.Request.Path) || keys.Contains(PresentedKey(context.Request)))
            {
                await next(context).ConfigureAwait(false);
                return;
            }
            bool presented = PresentedKey(context.Request) is not null;
            throw new OpenAiException(StatusCodes.Status401Unauthorized,
                presented ? "Incorrect API key provided." : "No API key provided. Send it as 'Authorization: Bearer KEY' or 'X-Api-Key: KEY'.",
                "invalid_request_error", null, "invalid_api_key")
            {
                Headers = new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer realm=\"myna\"" },
            };
        });
        return app;
    }

    private static bool IsPublic(PathString path) =>
        PublicPaths.Any(p => path.Equals(p, StringComparison.OrdinalIgnoreCase) || (p == "/v1/models" && path.StartsWithSegments(p, StringComparison.OrdinalIgnoreCase)));

    private static string? PresentedKey(HttpRequest request)
    {
        string? authorization = request.Headers.Authorization;
        if (authorization is not null && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim();
        string? header = request.Headers["X-Api-Key"];
        return string.IsNullOrWhiteSpace(header) ? null : header.Trim();
    }
}
