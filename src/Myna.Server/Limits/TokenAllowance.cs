using System.Threading.RateLimiting;
using Myna.Server.Errors;

namespace Myna.Server.Limits;

/// <summary>
/// One caller's tokens-per-minute bucket (<c>--rate-limit-tokens</c>): the prompt is charged when it is submitted (and
/// refused when the bucket cannot cover it), the completion when the request ends. A completion can cost more than is
/// left; then it takes what is left, so the caller's next request waits for the bucket to refill.
/// </summary>
internal sealed class TokenAllowance(PartitionedRateLimiter<string> limiter, string partition, int tokensPerMinute, TimeSpan fallbackRetryAfter, int rejectionStatus)
{
    /// <summary>Takes <paramref name="promptTokens"/> from the bucket.</summary>
    /// <exception cref="OpenAiException">The bucket holds fewer: rate_limit_exceeded with the time until it refills enough.</exception>
    public void ChargePrompt(int promptTokens)
    {
        if (promptTokens > tokensPerMinute)
        {
            throw RateLimits.Exceeded(rejectionStatus, $"The prompt has {promptTokens} tokens; this key may use {tokensPerMinute} per minute (--rate-limit-tokens).",
                TimeSpan.FromMinutes(1));
        }
        using RateLimitLease lease = limiter.AttemptAcquire(partition, promptTokens);
        if (lease.IsAcquired) return;
        TimeSpan retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan wait) ? wait : fallbackRetryAfter;
        throw RateLimits.Exceeded(rejectionStatus, $"Rate limit reached: this key may use {tokensPerMinute} tokens per minute (--rate-limit-tokens).", retryAfter);
    }

    /// <summary>Takes <paramref name="completionTokens"/>, or as many as the bucket holds.</summary>
    public void ChargeCompletion(int completionTokens)
    {
        while (completionTokens > 0)
        {
            long available = limiter.GetStatistics(partition)?.CurrentAvailablePermits ?? 0;
            int take = (int)Math.Min(completionTokens, available);
            if (take <= 0) return;
            using RateLimitLease lease = limiter.AttemptAcquire(partition, take);
            if (!lease.IsAcquired) continue; // another request took some meanwhile; look again
            completionTokens -= take;
        }
    }
}
