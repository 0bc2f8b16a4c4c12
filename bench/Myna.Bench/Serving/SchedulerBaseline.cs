using System.Diagnostics;
using Myna.Generation;

namespace Myna.Bench.Serving;

/// <summary>
/// The server's own work without the server: the same requests (the load generator's prompts, greedy, ignore_eos),
/// the same scheduler settings and the same number of clients, driven in this thread with no HTTP, JSON or streaming.
/// The server's figure divided by this one is what serving costs; the engine's bare decode, which the ratios
/// divide by, leaves out the prompts every request also prefills.
/// </summary>
public static class SchedulerBaseline
{
    /// <summary>
    /// Output tokens/s of <paramref name="requests"/> requests kept <paramref name="concurrency"/> at a time (a new one
    /// is submitted as soon as one finishes, like a closed-loop client), each prompt
    /// <see cref="CompletionRequestBody.RandomPrompt"/> of the request's index.
    /// </summary>
    /// <exception cref="ArgumentException">Concurrency or requests below 1.</exception>
    public static SchedulerBaselineRun Measure(GptLanguageModel model, SchedulerOptions scheduler, int concurrency, int requests, int promptTokens, int newTokens, int promptIdLimit, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(scheduler);
        if (concurrency < 1 || requests < 1) throw new ArgumentException("a baseline run needs at least one client and one request.");
        var engine = new GenerationScheduler(model.InferenceWeights, model.Tokenizer, model.EndOfTextId, scheduler with { Slots = concurrency, MaxQueue = null });
        var options = new GenerationOptions { MaxNewTokens = newTokens, StopAtEndOfText = false };

        // Untimed: short runs of the same shape for a second, so the scheduler's code has been recompiled by the tiered
        // JIT before the timed run, as the server's has by the time its load runs (its warm-up and earlier runs).
        long warmUntil = Stopwatch.GetTimestamp() + Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < warmUntil)
            Run(engine, concurrency, concurrency, promptTokens, Math.Min(newTokens, 4), promptIdLimit, seed, options with { MaxNewTokens = Math.Min(newTokens, 4) });
        long start = Stopwatch.GetTimestamp();
        long tokens = Run(engine, requests, concurrency, promptTokens, newTokens, promptIdLimit, seed, options);
        double seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        return new SchedulerBaselineRun(concurrency, requests, tokens, seconds);
    }

    private static long Run(GenerationScheduler engine, int requests, int concurrency, int promptTokens, int newTokens, int promptIdLimit, ulong seed, GenerationOptions options)
    {
        var live = new List<GenerationRequest>(concurrency);
        int sent = 0;
        long tokens = 0;
        while (sent < requests && live.Count < concurrency) live.Add(engine.Submit(CompletionRequestBody.RandomPrompt(promptTokens, promptIdLimit, seed, sent++), options));
        while (live.Count > 0)
        {
            engine.Step();
            for (int i = live.Count - 1; i >= 0; i--)
            {
                Task<IReadOnlyList<GeneratedSequence>> completion = live[i].Completion;
                if (!completion.IsCompleted) continue;
                tokens += completion.Result.Sum(s => s.NewIds.Length);
                live.RemoveAt(i);
                if (sent < requests) live.Add(engine.Submit(CompletionRequestBody.RandomPrompt(promptTokens, promptIdLimit, seed, sent++), options));
            }
        }
        return tokens;
    }
}
