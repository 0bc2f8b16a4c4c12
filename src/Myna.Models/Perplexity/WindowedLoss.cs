namespace Myna.Models.Perplexity;

/// <summary>
/// The summed next-token loss of the scored tokens of sliding windows (<see cref="PerplexityWindows"/>), computed at f32
/// by the training forward (<see cref="GptBatchForward"/>): what held-out perplexity is made of, wherever it is measured
/// (<c>myna eval ppl</c> at f32, the end of a training run).
/// </summary>
public static class WindowedLoss
{
    /// <summary>
    /// Tokens per batched pass (B·T): the trainer's default batch (8 × 256), the shape its GEMM kernels are measured at;
    /// fewer rows leave the GEMMs short, more only grow the buffers.
    /// </summary>
    private const int RowsPerPass = 2048;

    /// <summary>
    /// Held-out perplexity as Myna defines it everywhere: all of <paramref name="tokens"/>, the model's context as the
    /// window, half of it as the stride.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two tokens.</exception>
    public static PerplexityResult HeldOut(GptWeights weights, ReadOnlySpan<int> tokens, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(weights);
        (int window, int stride) = PerplexityWindows.Resolve(weights.Config.ContextLength, tokens.Length, stride: null, window: null);
        (double nll, long scored) = Score(weights, tokens, PerplexityWindows.Plan(tokens.Length, window, stride), progress, cancellation);
        return new PerplexityResult(scored, nll, 0, window, stride);
    }

    /// <summary>
    /// Whole windows, several per pass, through the training forward (<see cref="GptBatchForward"/>). Every window starts
    /// at position 0 as the engine's do; a window shorter than the pass's T (the last one, when the stride equals the
    /// window) is padded after its end, which causal attention keeps from reaching any of its rows.
    /// </summary>
    public static (double Nll, long Scored) Score(GptWeights weights, ReadOnlySpan<int> tokens, IReadOnlyList<PerplexityWindow> windows,
        IProgress<double>? progress, CancellationToken cancellation)
    {
        int time = 0;
        foreach (PerplexityWindow w in windows) time = Math.Max(time, w.Length);
        int batch = Math.Clamp(RowsPerPass / time, 1, windows.Count);
        var forward = new GptBatchForward(weights, batch, time);
        var ids = new int[batch * time];         // (B, T)
        var targets = new int[batch * time];     // (B, T): the next token where it is scored, else ignored
        var losses = new float[batch * time];    // (B, T)
        double nll = 0;
        long scored = 0;
        for (int first = 0; first < windows.Count; first += batch)
        {
            cancellation.ThrowIfCancellationRequested();
            int count = Math.Min(batch, windows.Count - first);
            Array.Clear(ids);
            Array.Fill(targets, GptModel.IgnoreIndex);
            for (int j = 0; j < count; j++)
            {
                PerplexityWindow w = windows[first + j];
                tokens.Slice(w.Start, w.Length).CopyTo(ids.AsSpan(j * time));
                // Row p feeds token Start + p and predicts token Start + p + 1.
                for (int next = w.FirstScored; next < w.End; next++) targets[j * time + next - 1 - w.Start] = tokens[next];
            }
            forward.Losses(ids, targets, losses, count);
            // Sum in token order, as the engine path does, so the two differ only by the rounding of each term.
            for (int j = 0; j < count; j++)
            {
                PerplexityWindow w = windows[first + j];
                for (int next = w.FirstScored; next < w.End; next++) nll += losses[j * time + next - 1 - w.Start];
                scored += w.Scored;
            }
            progress?.Report((double)windows[first + count - 1].End / tokens.Length);
        }
        return (nll, scored);
    }
}
