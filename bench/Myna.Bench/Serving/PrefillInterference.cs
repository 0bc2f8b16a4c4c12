using System.Diagnostics;

namespace Myna.Bench.Serving;

/// <summary>
/// The prefill-interference scenario: streams decode steadily, then a long prompt joins them; how much longer
/// do their tokens take while the server prefills it alongside (chunked prefill keeps each step short)?
/// </summary>
public static class PrefillInterference
{
    /// <summary>Tokens the joining request asks for: its prefill is the point, a few tokens show it was served.</summary>
    public const int JoiningNewTokens = 8;

    /// <summary>
    /// Starts <see cref="ServeOptions.InterferenceStreams"/> streams, waits until each has
    /// <see cref="ServeOptions.InterferenceJoinAfterTokens"/> tokens, sends the
    /// <see cref="ServeOptions.InterferencePromptTokens"/>-token prompt, and measures the streams' gaps from then on.
    /// The server needs a slot for every stream and the joining prompt, or the prompt would only queue.
    /// </summary>
    public static async Task<InterferenceResult> MeasureAsync(HttpClient http, string model, int promptIdLimit, int prefillChunk, ServeOptions options)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        int streams = options.InterferenceStreams;
        using var hardStop = new CancellationTokenSource(options.Duration + options.Grace);
        int warming = streams;
        var allWarm = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new Task<CompletionTiming>[streams];
        for (int s = 0; s < streams; s++)
        {
            bool counted = false;
            byte[] body = new CompletionRequestBody(model, CompletionRequestBody.RandomPrompt(options.PromptTokens, promptIdLimit, options.Seed, s), options.InterferenceStreamTokens)
                .ToUtf8Json();
            // The callback runs on the stream's own reader, one call at a time, so its flag needs no lock.
            running[s] = Task.Run(() => CompletionClient.SendAsync(http, body, tokens =>
            {
                if (counted || tokens < options.InterferenceJoinAfterTokens) return;
                counted = true;
                if (Interlocked.Decrement(ref warming) == 0) allWarm.TrySetResult();
            }, hardStop.Token));
        }
        // A stream that fails before warming up never counts down; then the prompt joins once all streams have ended.
        await Task.WhenAny(allWarm.Task, Task.WhenAll(running)).ConfigureAwait(false);

        long joined = Stopwatch.GetTimestamp();
        byte[] joining = new CompletionRequestBody(model,
            CompletionRequestBody.RandomPrompt(options.InterferencePromptTokens, promptIdLimit, options.Seed, streams), JoiningNewTokens).ToUtf8Json();
        CompletionTiming joiner = await CompletionClient.SendAsync(http, joining, null, hardStop.Token).ConfigureAwait(false);
        CompletionTiming[] timings = await Task.WhenAll(running).ConfigureAwait(false);

        var gaps = new List<double>();
        foreach (CompletionTiming t in timings.Where(t => t.Completed(options.InterferenceStreamTokens)))
        {
            for (int i = 1; i < t.TokenTimes.Count; i++)
            {
                if (t.TokenTimes[i] > joined) gaps.Add(CompletionTiming.Seconds(t.TokenTimes[i] - t.TokenTimes[i - 1]) * 1e3);
            }
        }
        gaps.Sort();
        int errors = timings.Count(t => !t.Completed(options.InterferenceStreamTokens)) + (joiner.Completed(JoiningNewTokens) ? 0 : 1);
        return new InterferenceResult
        {
            Streams = streams,
            JoiningPromptTokens = options.InterferencePromptTokens,
            PrefillChunk = prefillChunk,
            Gaps = gaps.Count,
            InterTokenP50 = gaps.Count > 0 ? LatencyPercentiles.Percentile(gaps, 50) : 0,
            InterTokenP99 = gaps.Count > 0 ? LatencyPercentiles.Percentile(gaps, 99) : 0,
            InterTokenMax = gaps.Count > 0 ? gaps[^1] : 0,
            JoiningTimeToFirstToken = joiner.Completed(JoiningNewTokens) ? joiner.TimeToFirstTokenSeconds * 1e3 : null,
            Errors = errors,
        };
    }
}
