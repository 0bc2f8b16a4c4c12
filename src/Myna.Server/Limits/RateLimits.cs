using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Myna.Server.Errors;
using Myna.Server.Hosting;
using Myna.Server.Metrics;
using Myna.Server.Security;

namespace Myna.Server.Limits;

/// <summary>
/// Per-caller rate limits with ASP.NET's partitioned rate limiter: one token bucket of requests per minute
/// (<c>--rate-limit-requests</c>) and one of generation tokens per minute (<c>--rate-limit-tokens</c>) for each API key
/// (by its key id), or for each client address when the server has no keys. Buckets refill smoothly (a limit of 60 a
/// minute gains one a second) and start full, so a burst up to the minute's allowance passes.
/// </summary>
/// <remarks>
/// The buckets live in this process: with several replicas behind a load balancer each replica limits on its own, so
/// a key gets up to replicas × the limit unless the balancer pins keys to replicas.
/// Public routes (health, readiness, metrics, the model list, the playground) are never limited.
/// </remarks>
public static class RateLimits
{
    /// <summary>Adds the limiters the options ask for (none when neither limit is set).</summary>
    public static IServiceCollection AddMynaRateLimits(this IServiceCollection services, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RateLimitRequests is { } requests)
        {
            services.AddRateLimiter(limiter =>
            {
                limiter.RejectionStatusCode = options.RateLimitStatus;
                limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    ApiKeyAuthentication.IsPublic(context.Request.Path, context.Request.Method)
                        ? RateLimitPartition.GetNoLimiter("")
                        : RateLimitPartition.GetTokenBucketLimiter(PartitionOf(context), _ => PerMinute(requests)));
                limiter.OnRejected = (rejected, _) =>
                {
                    HttpContext context = rejected.HttpContext;
                    TimeSpan retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait) ? wait : options.RetryAfter;
                    context.RequestServices.GetService<ServingMetrics>()?.RecordRejected("rate_limit");
                    return new ValueTask(ErrorHandling.WriteAsync(context, Exceeded(options.RateLimitStatus,
                        $"Rate limit reached: this key may make {requests} requests per minute (--rate-limit-requests).", retryAfter)));
                };
            });
        }
        if (options.RateLimitTokens is { } tokens)
        {
            services.AddSingleton(new TokenLimiter(PartitionedRateLimiter.Create<string, string>(partition =>
                RateLimitPartition.GetTokenBucketLimiter(partition, _ => PerMinute(tokens))), tokens));
        }
        return services;
    }

    /// <summary>Applies the request limiter (after authentication, which names the caller) and hands each request its token allowance.</summary>
    public static IApplicationBuilder UseMynaRateLimits(this IApplicationBuilder app, ServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RateLimitRequests is not null) app.UseRateLimiter();
        if (app.ApplicationServices.GetService<TokenLimiter>() is { } tokens)
        {
            app.Use(async (context, next) =>
            {
                if (context.Features.Get<RequestRecord>() is { } record && !ApiKeyAuthentication.IsPublic(context.Request.Path, context.Request.Method))
                    record.Tokens = new TokenAllowance(tokens.Limiter, PartitionOf(context), tokens.PerMinute, options.RetryAfter, options.RateLimitStatus);
                await next(context).ConfigureAwait(false);
            });
        }
        return app;
    }

    /// <summary>rate_limit_exceeded with <c>Retry-After</c> (whole seconds, at least 1) and <c>retry-after-ms</c>.</summary>
    internal static OpenAiException Exceeded(int status, string message, TimeSpan retryAfter) =>
        new(status, message, "requests", null, "rate_limit_exceeded") { Headers = RetryHeaders(retryAfter) };

    /// <summary>The two retry headers the OpenAI SDKs honour.</summary>
    internal static Dictionary<string, string> RetryHeaders(TimeSpan retryAfter) => new()
    {
        ["Retry-After"] = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture),
        ["retry-after-ms"] = Math.Max(0, (long)Math.Ceiling(retryAfter.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>The caller a limit applies to: the key id, or the client address on a server without keys.</summary>
    private static string PartitionOf(HttpContext context) =>
        context.Features.Get<RequestRecord>()?.KeyId is { } keyId ? "key:" + keyId : "ip:" + context.Connection.RemoteIpAddress;

    /// <summary>A bucket of <paramref name="perMinute"/> that refills at exactly that rate, in the smallest whole steps.</summary>
    private static TokenBucketRateLimiterOptions PerMinute(int perMinute)
    {
        // g permits every 60·g/perMinute seconds: perMinute a minute, at least one permit per step.
        int step = (perMinute + 59) / 60;
        return new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = step,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) * step / perMinute,
            QueueLimit = 0, // refuse at once; a client told Retry-After waits better than a held connection
            AutoReplenishment = true,
        };
    }

    /// <summary>The tokens-per-minute limiter, shared by every request.</summary>
    internal sealed record TokenLimiter(PartitionedRateLimiter<string> Limiter, int PerMinute);
}
