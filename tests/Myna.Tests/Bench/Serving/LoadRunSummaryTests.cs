using System.Diagnostics;
using Myna.Bench.Serving;

namespace Myna.Tests.Bench.Serving;

/// <summary>A run's figures from its requests' timings: counts by outcome, throughput over the wall time, latencies.</summary>
public class LoadRunSummaryTests
{
    private const int NewTokens = 3;

    [Fact]
    public void CountsOutcomesAndComputesThroughputAndLatencies()
    {
        CompletionTiming[] timings =
        [
            // Sent at 0 s, tokens at 0.1, 0.2, 0.4 s, ended at 0.5 s.
            Timing(200, 0, 0.5, [0.1, 0.2, 0.4], NewTokens, done: true),
            // Sent at 0.5 s, tokens at 0.7, 0.8, 0.9 s, ended at 1 s.
            Timing(200, 0.5, 1.0, [0.7, 0.8, 0.9], NewTokens, done: true),
            Timing(429, 0.1, 0.11, [], 0, done: false),
            // Accepted, but the stream broke after one token: lost.
            Timing(200, 0.2, 0.6, [0.3], 1, done: false, error: "the stream ended without [DONE]."),
            // Never answered: lost too.
            Timing(0, 0.3, 0.35, [], 0, done: false, error: "connection refused"),
            Timing(500, 0.4, 0.45, [], 0, done: false, error: "bug"),
        ];

        LoadRunSummary s = LoadRunSummary.Of(timings, NewTokens, concurrency: 2, parallel: 8, maxQueue: 64);

        Assert.Equal((6, 2, 1, 3, 2), (s.Requests, s.Completed, s.Rejected, s.Errors, s.Lost));
        Assert.Equal(new Dictionary<string, int> { ["0"] = 1, ["200"] = 3, ["429"] = 1, ["500"] = 1 }, s.Statuses);
        Assert.Equal("the stream ended without [DONE].", s.FirstError);
        Assert.Equal(1.0, s.DurationSeconds, 6);
        Assert.Equal(2.0, s.RequestsPerSecond, 6);
        // Every token delivered counts toward throughput, the broken stream's one included.
        Assert.Equal(7.0, s.OutputTokensPerSecond, 6);
        // Time to first token of the completed requests: 100 and 200 ms.
        Assert.Equal(150, s.TimeToFirstToken!.P50, 6);
        Assert.Equal(500, s.EndToEnd!.P50, 6);
        // Gaps 100, 200, 100, 100 ms.
        Assert.Equal(100, s.InterToken!.P50, 6);
        Assert.Equal(197, s.InterToken.P99, 6);
    }

    [Fact]
    public void ARunWithNothingCompletedHasNoLatencies()
    {
        LoadRunSummary s = LoadRunSummary.Of([Timing(429, 0, 0.01, [], 0, done: false)], NewTokens, 1, 1, 1);

        Assert.Null(s.TimeToFirstToken);
        Assert.Null(s.InterToken);
        Assert.Equal(0, s.RequestsPerSecond);
        Assert.Equal(0, s.Errors);
    }

    [Fact]
    public void TooFewTokensIsNotCompleted()
    {
        CompletionTiming shortStream = Timing(200, 0, 1, [0.1, 0.2], 2, done: true);

        Assert.False(shortStream.Completed(NewTokens));
        Assert.True(shortStream.Lost(NewTokens));
    }

    private static CompletionTiming Timing(int status, double start, double end, double[] tokens, int outputTokens, bool done, string? error = null)
    {
        static long Ticks(double seconds) => (long)Math.Round(seconds * Stopwatch.Frequency);
        return new CompletionTiming(status, Ticks(start), Ticks(end), [.. tokens.Select(Ticks)], outputTokens, done, error);
    }
}
