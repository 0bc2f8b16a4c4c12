namespace Myna.Generation;

/// <summary>One continuation of a prompt.</summary>
/// <param name="PromptIds">The prompt's ids.</param>
/// <param name="NewIds">Generated ids only (an end-of-text token that stopped generation is included, as transformers does).</param>
/// <param name="Text">Decoded generated text without special tokens, cut before any stop sequence or blocked phrase, redacted when asked.</param>
/// <param name="FinishReason">Why generation stopped.</param>
/// <param name="LogProbs">Log-probability of each new id under the processed distribution, when asked for.</param>
public sealed record GeneratedSequence(int[] PromptIds, int[] NewIds, string Text, FinishReason FinishReason, float[]? LogProbs)
{
    /// <summary>Prompt followed by the generated ids: what transformers' <c>generate</c> returns.</summary>
    public int[] Ids => [.. PromptIds, .. NewIds];

    /// <summary>Per new id, the most likely alternatives, most likely first (<see cref="GenerationOptions.TopLogProbs"/>); null when not asked for.</summary>
    public IReadOnlyList<TokenLogProbability[]>? TopLogProbs { get; init; }

    /// <summary>
    /// Per prompt token, its log-probability given the tokens before it (<see cref="GenerationOptions.PromptLogProbs"/>);
    /// the first is NaN (nothing predicts it). Null when not asked for.
    /// </summary>
    public float[]? PromptLogProbs { get; init; }

    /// <summary>Per prompt token, the most likely alternatives at its position (the first is empty); null when not asked for.</summary>
    public IReadOnlyList<TokenLogProbability[]>? PromptTopLogProbs { get; init; }
}
