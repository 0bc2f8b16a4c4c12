namespace Myna.Generation;

/// <summary>
/// Whole-sequence generation over a <see cref="GenerationScheduler"/>: submits the prompts together, lets the
/// scheduler's driver step them, and waits for the results. The decode loop itself is the scheduler's.
/// </summary>
internal static class TextGenerator
{
    /// <summary>Generates for every prompt; results are grouped by prompt, then by return sequence.</summary>
    /// <exception cref="ArgumentException">An option is invalid, or a prompt is empty, too long, or holds unknown ids.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellation"/> fired.</exception>
    public static IReadOnlyList<GeneratedSequence> Run(GenerationScheduler scheduler, IReadOnlyList<int[]> prompts, GenerationOptions options, CancellationToken cancellation) =>
        RunAsync(scheduler, prompts, options, cancellation).GetAwaiter().GetResult();

    /// <summary>Generates for every prompt without blocking the caller.</summary>
    public static async Task<IReadOnlyList<GeneratedSequence>> RunAsync(
        GenerationScheduler scheduler, IReadOnlyList<int[]> prompts, GenerationOptions options, CancellationToken cancellation)
    {
        IReadOnlyList<GenerationRequest> requests = scheduler.SubmitAll(prompts, options, cancellation);
        scheduler.EnsureDriven();
        IReadOnlyList<GeneratedSequence>[] results = await Task.WhenAll(requests.Select(r => r.Completion)).ConfigureAwait(false);
        return results.SelectMany(r => r).ToList();
    }
}
