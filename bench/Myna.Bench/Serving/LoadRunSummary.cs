using System.Text.Json.Serialization;

namespace Myna.Bench.Serving;

/// <summary>
/// The figures of one load run. Throughput counts over the run's wall time, from the first request sent to the last
/// answer ended; latencies are over completed requests only, and inter-token latency over the gaps between their
/// token-bearing events.
/// </summary>
public sealed record LoadRunSummary
{
    /// <summary>Clients sending at once.</summary>
    [JsonPropertyName("concurrency")] public required int Concurrency { get; init; }

    /// <summary>The server's slots (<c>--parallel</c>): 1 is batching off.</summary>
    [JsonPropertyName("parallel")] public required int Parallel { get; init; }

    /// <summary>The server's queue (<c>--max-queue</c>).</summary>
    [JsonPropertyName("max_queue")] public required int MaxQueue { get; init; }

    /// <summary>Requests sent.</summary>
    [JsonPropertyName("requests")] public required int Requests { get; init; }

    /// <summary>Requests that streamed every asked token and [DONE].</summary>
    [JsonPropertyName("completed")] public required int Completed { get; init; }

    /// <summary>Requests turned away with 429.</summary>
    [JsonPropertyName("rejected")] public required int Rejected { get; init; }

    /// <summary>Requests that neither completed nor were turned away with 429: another status, no answer, or a lost stream.</summary>
    [JsonPropertyName("errors")] public required int Errors { get; init; }

    /// <summary>Requests that went missing: accepted (200) with a stream that ended short, or never answered (status 0).</summary>
    [JsonPropertyName("lost")] public required int Lost { get; init; }

    /// <summary>HTTP status → answers (0: no answer).</summary>
    [JsonPropertyName("statuses")] public required IReadOnlyDictionary<string, int> Statuses { get; init; }

    /// <summary>The first error seen, for the reader who wants to know why.</summary>
    [JsonPropertyName("first_error")] public string? FirstError { get; init; }

    /// <summary>Wall seconds from the first request sent to the last answer ended.</summary>
    [JsonPropertyName("duration_s")] public required double DurationSeconds { get; init; }

    /// <summary>Completed requests per second.</summary>
    [JsonPropertyName("requests_per_s")] public required double RequestsPerSecond { get; init; }

    /// <summary>Tokens streamed per second, all requests together (the aggregate throughput).</summary>
    [JsonPropertyName("output_tokens_per_s")] public required double OutputTokensPerSecond { get; init; }

    /// <summary>Time to first token, ms.</summary>
    [JsonPropertyName("ttft_ms")] public LatencyPercentiles? TimeToFirstToken { get; init; }

    /// <summary>Whole request, ms.</summary>
    [JsonPropertyName("e2e_ms")] public LatencyPercentiles? EndToEnd { get; init; }

    /// <summary>Gap between consecutive tokens of a request, ms.</summary>
    [JsonPropertyName("itl_ms")] public LatencyPercentiles? InterToken { get; init; }

    /// <summary>Summarises <paramref name="timings"/>, each of which asked for <paramref name="newTokens"/> tokens.</summary>
    public static LoadRunSummary Of(IReadOnlyList<CompletionTiming> timings, int newTokens, int concurrency, int parallel, int maxQueue)
    {
        ArgumentNullException.ThrowIfNull(timings);
        var completed = timings.Where(t => t.Completed(newTokens)).ToList();
        int rejected = timings.Count(t => t.Rejected);
        double duration = timings.Count == 0 ? 0 : CompletionTiming.Seconds(timings.Max(t => t.End) - timings.Min(t => t.Start));
        // Tokens of every accepted stream reached the client, lost ones included: throughput is what was delivered.
        long tokens = timings.Where(t => t.Status == 200).Sum(t => (long)t.OutputTokens);
        return new LoadRunSummary
        {
            Concurrency = concurrency,
            Parallel = parallel,
            MaxQueue = maxQueue,
            Requests = timings.Count,
            Completed = completed.Count,
            Rejected = rejected,
            Errors = timings.Count - completed.Count - rejected,
            Lost = timings.Count(t => t.Lost(newTokens)),
            Statuses = StatusCounts.Of(timings.Select(t => t.Status)).ToDictionary(),
            FirstError = timings.FirstOrDefault(t => !t.Completed(newTokens) && !t.Rejected)?.Error,
            DurationSeconds = duration,
            RequestsPerSecond = duration > 0 ? completed.Count / duration : 0,
            OutputTokensPerSecond = duration > 0 ? tokens / duration : 0,
            TimeToFirstToken = LatencyPercentiles.Of(completed.Where(t => t.TimeToFirstTokenSeconds is not null).Select(t => t.TimeToFirstTokenSeconds!.Value * 1e3)),
            EndToEnd = LatencyPercentiles.Of(completed.Select(t => t.EndToEndSeconds * 1e3)),
            InterToken = LatencyPercentiles.Of(completed.SelectMany(t => t.InterTokenSeconds()).Select(s => s * 1e3)),
        };
    }
}
