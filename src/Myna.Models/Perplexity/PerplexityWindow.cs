namespace Myna.Models.Perplexity;

/// <summary>
/// One window of a strided perplexity evaluation: the model sees tokens [<paramref name="Start"/>,
/// <paramref name="End"/>) from position 0, and the window scores tokens [<paramref name="FirstScored"/>,
/// <paramref name="End"/>), each predicted from the tokens before it in the window.
/// </summary>
/// <param name="Start">First token the window feeds (at position 0).</param>
/// <param name="FirstScored">First token the window scores; always after <paramref name="Start"/>, so it has context.</param>
/// <param name="End">One past the last token the window feeds and scores.</param>
public readonly record struct PerplexityWindow(int Start, int FirstScored, int End)
{
    /// <summary>Tokens the window feeds.</summary>
    public int Length => End - Start;

    /// <summary>Tokens the window scores.</summary>
    public int Scored => End - FirstScored;
}
