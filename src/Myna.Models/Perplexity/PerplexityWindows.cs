namespace Myna.Models.Perplexity;

/// <summary>
/// The windows of Hugging Face's strided sliding-window perplexity, as Myna.Evaluation's perplexity evaluator and <see cref="WindowedLoss"/> score them:
/// a window of at most <c>window</c> tokens moves <c>stride</c> tokens at a time and scores only the tokens no earlier
/// window scored, so every token after the first is scored exactly once with at least window − stride tokens of
/// context (all before it, early on). A stride equal to the window advances by window − 1: the first token a window
/// scores always has one token of context.
/// </summary>
public static class PerplexityWindows
{
    /// <summary>
    /// The window and stride an evaluation uses: the window defaults to, and is capped at, <paramref name="contextLength"/>;
    /// the stride defaults to half the window.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two tokens, a window under 2, or a stride outside [1, window].</exception>
    public static (int Window, int Stride) Resolve(int contextLength, int tokenCount, int? stride, int? window)
    {
        int context = Math.Min(window ?? contextLength, contextLength);
        int step = stride ?? Math.Max(1, context / 2);
        if (tokenCount < 2) throw new ArgumentException("perplexity needs at least two tokens.");
        if (context < 2) throw new ArgumentException($"the window must hold at least 2 tokens; it is {context}.");
        if (step < 1 || step > context) throw new ArgumentException($"the stride must be between 1 and the window ({context}); it is {step}.");
        return (context, step);
    }

    /// <summary>The windows over <paramref name="tokenCount"/> tokens, in order; their scored ranges tile [1, tokenCount).</summary>
    /// <exception cref="ArgumentException">The arguments fail <see cref="Resolve"/>'s checks.</exception>
    public static IReadOnlyList<PerplexityWindow> Plan(int tokenCount, int window, int stride)
    {
        if (tokenCount < 2) throw new ArgumentException("perplexity needs at least two tokens.");
        if (window < 2) throw new ArgumentException($"the window must hold at least 2 tokens; it is {window}.");
        if (stride < 1 || stride > window) throw new ArgumentException($"the stride must be between 1 and the window ({window}); it is {stride}.");
        var windows = new List<PerplexityWindow>();
        int scoredUpTo = 1; // tokens [0, scoredUpTo) need no more scoring; token 0 has no context and is never scored
        int end = Math.Min(window, tokenCount);
        while (true)
        {
            // The window [start, end) holds at most `window` tokens and at least one before the first it scores.
            int start = Math.Max(0, end - window);
            if (start > scoredUpTo - 1)
            {
                start = scoredUpTo - 1;
                end = Math.Min(start + window, tokenCount);
            }
            windows.Add(new PerplexityWindow(start, scoredUpTo, end));
            scoredUpTo = end;
            if (end == tokenCount) return windows;
            end = Math.Min(end + stride, tokenCount);
        }
    }
}
