using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Myna.Generation;
using Myna.Server.Errors;

namespace Myna.Server.Hosting;

/// <summary>Submits a request's prompts to the scheduler and reads their chunks back; the scheduler's refusals become HTTP errors.</summary>
internal static class GenerationRun
{
    /// <summary>
    /// Queues the prompts together; <paramref name="cancellation"/> is the client's connection, so a client that leaves
    /// frees its slots at the next step (or, still queued, never starts).
    /// </summary>
    /// <exception cref="OpenAiException">429 when the queue is full; 400 when the engine refuses the options or a prompt.</exception>
    public static IReadOnlyList<GenerationRequest> Submit(ServedModel served, IReadOnlyList<int[]> prompts, GenerationOptions options, bool stream, CancellationToken cancellation)
    {
        try
        {
            return served.Scheduler.SubmitAll(prompts, options, cancellation, stream);
        }
        catch (SchedulerQueueFullException full)
        {
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
            return results.SelectMany(r => r).ToList();
        }
        catch (OperationCanceledException) when (!clientLeft.IsCancellationRequested)
        {
            // Not the client's doing: the scheduler stops what is running when the host shuts down.
            throw ShuttingDown();
        }
    }

    /// <summary>503: the host is stopping and ended the generation.</summary>
    public static OpenAiException ShuttingDown() =>
        new(StatusCodes.Status503ServiceUnavailable, "The server is shutting down; the generation was stopped. Retry on another replica or later.", "server_error", null, "server_shutting_down")
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "1", ["retry-after-ms"] = "1000" },
        };
}
