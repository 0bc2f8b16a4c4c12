namespace Myna.Evaluation.Comparison;

/// <summary>Settings of a comparison run, each default once.</summary>
public sealed record ComparisonOptions
{
    /// <summary>Prompt length for the prefill measurement: a typical chat or task prompt.</summary>
    public int PromptTokens { get; init; } = 128;

    /// <summary>Tokens generated for the decode measurement: long enough that per-call overhead does not dominate.</summary>
    public int NewTokens { get; init; } = 64;

    /// <summary>Tokens of the comparison text scored for perplexity at most: keeps a comparison to minutes.</summary>
    public int PerplexityTokens { get; init; } = 4096;

    /// <summary>Which task metric ranks quality: bleu, rouge or exact.</summary>
    public string Metric { get; init; } = "bleu";

    /// <summary>
    /// Timed speed runs per model, after one untimed warm-up run each (3: the best of three is stable on a quiet
    /// machine and shows the spread on a busy one, in seconds for small models).
    /// </summary>
    public int SpeedRuns { get; init; } = 3;
}
