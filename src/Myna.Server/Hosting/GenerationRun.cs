using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Myna.Generation;
using Myna.Generation.OpenAi;
using Myna.Server.Errors;
using Myna.Server.OpenAi;

namespace Myna.Server.Hosting;

/// <summary>
/// Submits a request's prompts to the scheduler and reads their chunks back; the scheduler's refusals become HTTP errors.
/// Everything a generation passes through here is noted in the request's <see cref="RequestRecord"/> (tokens, finish
/// reasons, inter-token gaps, content when the audit log keeps it) for the metrics and the audit log.
/// </summary>
internal static class GenerationRun
{
    /// <summary>The record of the HTTP request that submitted <paramref name="request"/>, if any (attached at submission, so the step hook that marks first tokens never misses it).</summary>
    public static RequestRecord? RecordOf(GenerationRequest request) => request.Owner as RequestRecord;

    /// <summary>
    /// Queues the prompts together; <paramref name="cancellation"/> is the client's connection, so a client that leaves
    /// frees its slots at the next step (or, still queued, never starts).
    /// </summary>
    /// <exception cref="OpenAiException">429 when the queue is full; 400 when the engine refuses the options or a prompt.</exception>
    public static IReadOnlyList<GenerationRequest> Submit(ServedModel served, IReadOnlyList<int[]> prompts, GenerationOptions options, bool stream, CancellationToken cancellation)
    {
        RequestRecord? record = RequestRecord.Current;
        int promptTokens = prompts.Sum(p => p.Length);
        // The caller's token allowance covers the prompt before it takes a place in the queue (429 rate_limit_exceeded otherwise).
        try
        {
            record?.Tokens?.ChargePrompt(promptTokens);
        }
        catch (OpenAiException)
        {
            record?.Metrics?.RecordRejected("rate_limit");
            throw;
        }
        try
        {
            IReadOnlyList<GenerationRequest> requests = served.Scheduler.SubmitAll(prompts, options, cancellation, stream, owner: record);
            if (record is not null)
            {
                record.Model = served.Id;
                record.PromptTokens += promptTokens;
                record.Submitted = true;
                if (record.KeepContent) record.PromptTexts = prompts.Select(p => served.Tokenizer.Decode(p)).ToArray();
            }
            return requests;
        }
        catch (SchedulerQueueFullException full)
        {
            record?.Metrics?.RecordRejected("queue_full");
            throw OpenAiException.Overloaded(served.Options.RetryAfter, full.Waiting);
        }
        catch (ArgumentException invalid)
        {
            // The endpoints check every parameter first; this is the engine's own check agreeing with them.
            throw OpenAiException.InvalidParameter(null, invalid.Message);
        }
    }

    /// <summary>
    /// Waits while any of the requests is still queued, calling <paramref name="keepAlive"/> every
    /// <paramref name="interval"/>; returns as soon as all are admitted or the first chunk is ready.
    /// </summary>
    public static async Task KeepAliveWhileQueuedAsync(IReadOnlyList<GenerationRequest> requests, TimeSpan interval, Func<Task> keepAlive, CancellationToken cancellation)
    {
        while (requests.Any(r => r.State == RequestState.Queued))
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            Task<bool> ready = requests[0].Chunks!.WaitToReadAsync(tick.Token).AsTask();
            Task first = await Task.WhenAny(ready, Task.Delay(interval, tick.Token)).ConfigureAwait(false);
            await tick.CancelAsync().ConfigureAwait(false); // the loser stops waiting
            if (first == ready) return;
            if (requests.Any(r => r.State == RequestState.Queued)) await keepAlive().ConfigureAwait(false);
        }
    }

    /// <summary>Every request's chunks as they come, interleaved; ends when all requests have ended, throws what failed or cancelled one.</summary>
    public static async IAsyncEnumerable<GenerationChunk> ReadAllAsync(IReadOnlyList<GenerationRequest> requests, [EnumeratorCancellation] CancellationToken cancellation)
    {
        RequestRecord? record = RequestRecord.Current;
        if (record is null)
        {
            await foreach (GenerationChunk chunk in ReadMergedAsync(requests, cancellation).ConfigureAwait(false)) yield return chunk;
            yield break;
        }
        // Per sequence: when its last token came (for the inter-token gaps) and, with --log-content, its text so far.
        var lastToken = new Dictionary<int, long>();
        var texts = record.KeepContent ? new SortedDictionary<int, StringBuilder>() : null;
        try
        {
            await foreach (GenerationChunk chunk in ReadMergedAsync(requests, cancellation).ConfigureAwait(false))
            {
                long now = Stopwatch.GetTimestamp();
                if (lastToken.TryGetValue(chunk.Sequence, out long previous)) record.Metrics?.RecordInterTokenLatency(Stopwatch.GetElapsedTime(previous, now));
                lastToken[chunk.Sequence] = now;
                record.AddCompletionTokens(1);
                if (chunk.FinishReason is { } reason) record.AddFinishReason(OpenAiRequestMapping.FinishReasonName(reason));
                if (texts is not null)
                {
                    if (!texts.TryGetValue(chunk.Sequence, out StringBuilder? text)) texts[chunk.Sequence] = text = new StringBuilder();
                    text.Append(chunk.Text);
                }
                yield return chunk;
            }
        }
        finally
        {
            if (requests.Any(r => r.ReusedPromptTokens > 0)) record.ReusedPrefix = true;
            if (texts is not null) record.OutputTexts = texts.Values.Select(t => t.ToString()).ToArray();
            // Charged before the stream's last event, so a client that saw [DONE] finds its allowance already spent.
            record.Tokens?.ChargeCompletion(record.CompletionTokens);
        }
    }

    private static async IAsyncEnumerable<GenerationChunk> ReadMergedAsync(IReadOnlyList<GenerationRequest> requests, [EnumeratorCancellation] CancellationToken cancellation)
    {
        if (requests.Count == 1)
        {
            await foreach (GenerationChunk chunk in requests[0].Chunks!.ReadAllAsync(cancellation).ConfigureAwait(false)) yield return chunk;
            await requests[0].Completion.ConfigureAwait(false);
            yield break;
        }
        // Several prompts decode side by side; each pump keeps its own request's back-pressure.
        var merged = Channel.CreateBounded<GenerationChunk>(new BoundedChannelOptions(64) { SingleReader = true });
        Task pumps = Task.WhenAll(requests.Select(async request =>
        {
            await foreach (GenerationChunk chunk in request.Chunks!.ReadAllAsync(cancellation).ConfigureAwait(false))
                await merged.Writer.WriteAsync(chunk, cancellation).ConfigureAwait(false);
            await request.Completion.ConfigureAwait(false);
        }));
        _ = pumps.ContinueWith(done => merged.Writer.TryComplete(done.Exception?.InnerException ?? (done.IsCanceled ? new OperationCanceledException(cancellation) : null)),
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        await foreach (GenerationChunk chunk in merged.Reader.ReadAllAsync(cancellation).ConfigureAwait(false)) yield return chunk;
    }

    /// <summary>Every request's finished sequences, in choice order.</summary>
    /// <exception cref="OpenAiException">503 when the server stopped the generation (shutting down) while the client still waited.</exception>
    public static async Task<IReadOnlyList<GeneratedSequence>> CompleteAllAsync(IReadOnlyList<GenerationRequest> requests, CancellationToken clientLeft)
    {
        try
        {
            IReadOnlyList<GeneratedSequence>[] results = await Task.WhenAll(requests.Select(r => r.Completion)).ConfigureAwait(false);
            List<GeneratedSequence> sequences = results.SelectMany(r => r).ToList();
            if (RequestRecord.Current is { } record) Note(record, requests, sequences);
            return sequences;
        }
        catch (OperationCanceledException) when (!clientLeft.IsCancellationRequested)
        {
            // Not the client's doing: the scheduler stops what is running when the host shuts down.
            throw ShuttingDown();
        }
    }

    /// <summary>Notes a whole answer's tokens, finish reasons and (as mean gaps, the tokens having come unobserved) its inter-token latency.</summary>
    private static void Note(RequestRecord record, IReadOnlyList<GenerationRequest> requests, List<GeneratedSequence> sequences)
    {
        long now = Stopwatch.GetTimestamp();
        foreach (GeneratedSequence sequence in sequences)
        {
            record.AddCompletionTokens(sequence.NewIds.Length);
            record.AddFinishReason(OpenAiRequestMapping.FinishReasonName(sequence.FinishReason));
        }
        if (record.TimeToFirstToken is { } first && record.Metrics is { } metrics)
        {
            TimeSpan afterFirst = Stopwatch.GetElapsedTime(record.Started, now) - first;
            int gaps = sequences.Max(s => s.NewIds.Length) - 1;
            for (int g = 0; g < gaps; g++) metrics.RecordInterTokenLatency(afterFirst / gaps);
        }
        if (requests.Any(r => r.ReusedPromptTokens > 0)) record.ReusedPrefix = true;
        if (record.KeepContent) record.OutputTexts = sequences.Select(s => s.Text).ToArray();
        record.Tokens?.ChargeCompletion(record.CompletionTokens);
    }

    /// <summary>503: the host is stopping and ended the generation.</summary>
    public static OpenAiException ShuttingDown() =>
        new(StatusCodes.Status503ServiceUnavailable, "The server is shutting down; the generation was stopped. Retry on another replica or later.", "server_error", null, "server_shutting_down")
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "1", ["retry-after-ms"] = "1000" },
        };
}
