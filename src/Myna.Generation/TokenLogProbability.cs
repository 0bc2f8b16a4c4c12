namespace Myna.Generation;

/// <summary>A token and its log-probability: one entry of a list of the most likely alternatives at a position.</summary>
/// <param name="TokenId">The token.</param>
/// <param name="LogProb">Its natural-log probability (≤ 0).</param>
public readonly record struct TokenLogProbability(int TokenId, float LogProb);
