namespace Myna.Generation;

/// <summary>A piece of streamed output: one new token and the text it completes.</summary>
/// <param name="Sequence">Which return sequence (0-based choice index) the token belongs to.</param>
/// <param name="TokenId">The new token.</param>
/// <param name="Text">Text that became final with this token; empty while a multi-byte character is still incomplete.</param>
/// <param name="LogProb">
/// The token's log-probability under the processed distribution (see <see cref="GenerationOptions.ReturnLogProbs"/>);
/// NaN for greedy decoding unless <see cref="GenerationOptions.ReturnLogProbs"/> is set (it costs a pass over the vocabulary per token).
/// </param>
/// <param name="FinishReason">Set on the last chunk of a sequence.</param>
public sealed record GenerationChunk(int Sequence, int TokenId, string Text, float LogProb, FinishReason? FinishReason)
{
    /// <summary>The most likely tokens at this position, most likely first (<see cref="GenerationOptions.TopLogProbs"/>); null when not asked for.</summary>
    public TokenLogProbability[]? TopLogProbs { get; init; }
}
