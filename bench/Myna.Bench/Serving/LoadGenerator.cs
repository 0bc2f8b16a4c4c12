using System.Collections.Concurrent;
using System.Diagnostics;

namespace Myna.Bench.Serving;

/// <summary>Runs a <see cref="LoadPlan"/> against a server and returns every request's timing, in the order they were sent.</summary>
public static class LoadGenerator
{
    /// <summary>Sends the plan's requests through <paramref name="http"/> (its base address is the server).</summary>
    /// <exception cref="ArgumentException">The plan has no clients or no requests.</exception>
    public static async Task<IReadOnlyList<CompletionTiming>> RunAsync(HttpClient http, LoadPlan plan)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.Concurrency < 1 || plan.Requests < 1) throw new ArgumentException("a load run needs at least one client and one request.");
        long deadline = Stopwatch.GetTimestamp() + (long)(plan.Duration.TotalSeconds * Stopwatch.Frequency);
        using var hardStop = new CancellationTokenSource(plan.Duration + plan.Grace);
        var timings = new ConcurrentDictionary<int, CompletionTiming>();
        int sent = 0;

        async Task ClientAsync()
        {
            while (true)
            {
                int index = Interlocked.Increment(ref sent) - 1;
                if (index >= plan.Requests || Stopwatch.GetTimestamp() >= deadline) return;
                byte[] body = new CompletionRequestBody(plan.Model, CompletionRequestBody.RandomPrompt(plan.PromptTokens, plan.PromptIdLimit, plan.Seed, index), plan.NewTokens)
                    .ToUtf8Json();
                timings[index] = await CompletionClient.SendAsync(http, body, null, hardStop.Token).ConfigureAwait(false);
            }
        }

        // Each client on the thread pool from the start, so the first requests leave together.
        await Task.WhenAll(Enumerable.Range(0, plan.Concurrency).Select(_ => Task.Run(ClientAsync))).ConfigureAwait(false);
        return [.. timings.OrderBy(p => p.Key).Select(p => p.Value)];
    }
}
