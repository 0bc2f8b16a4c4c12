using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Myna.Server.Hosting;

namespace Myna.Server.Endpoints;

/// <summary>Headers every generation answer carries.</summary>
internal static class ResponseHeaders
{
    /// <summary>Lists the top-level fields the server ignored, so a client can see that a parameter had no effect.</summary>
    public const string IgnoredFields = "X-Myna-Ignored-Fields";

    /// <summary>Sets the request id (also the answer's <c>id</c>) and the ignored fields, and notes both for the audit log.</summary>
    public static void Set(HttpContext context, string id, IReadOnlyList<string> ignored)
    {
        if (context.Features.Get<RequestRecord>() is { } record)
        {
            record.RequestId = id;
            record.IgnoredFields = ignored;
            record.Model ??= context.RequestServices.GetService<ServedModel>()?.Id;
        }
        context.Response.Headers["X-Request-Id"] = id;
        if (ignored.Count > 0) context.Response.Headers[IgnoredFields] = string.Join(", ", ignored);
    }
}
