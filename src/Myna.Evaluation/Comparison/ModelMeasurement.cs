using Myna.Evaluation.Tasks;

namespace Myna.Evaluation.Comparison;

/// <summary>Everything `myna compare` measures about one model.</summary>
/// <param name="Name">Directory name, used in tables and charts.</param>
/// <param name="Directory">Where the model was loaded from.</param>
/// <param name="Parameters">Parameter count.</param>
/// <param name="FileBytes">Size of model.safetensors on disk.</param>
/// <param name="MemoryBytes">Memory the model needs to serve one sequence: weights in memory plus a full-context KV cache and working buffers (allocated sizes, not an estimate).</param>
/// <param name="PrefillTokensPerSecond">Prompt processing speed (one prefill of <see cref="ComparisonOptions.PromptTokens"/> tokens, best of three).</param>
/// <param name="DecodeTokensPerSecond">Generation speed at batch 1 (greedy, <see cref="ComparisonOptions.NewTokens"/> tokens, best of three).</param>
/// <param name="Perplexity">Perplexity on the comparison text.</param>
/// <param name="Task">Task scores.</param>
public sealed record ModelMeasurement(
    string Name, string Directory, long Parameters, long FileBytes, long MemoryBytes,
    double PrefillTokensPerSecond, double DecodeTokensPerSecond, double Perplexity, TaskSummary Task);

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
}
