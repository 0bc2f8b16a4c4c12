namespace Myna.Generation.Sampling;

/// <summary>
/// Turns one row of next-token logits into a token: penalties, then temperature, top-k and top-p, then the
/// choice (argmax, or a draw from the softmax). The order matches transformers' logits processors and warpers.
/// </summary>
public sealed class TokenSampler
{
    private readonly GenerationOptions _options;
    private readonly Random _random;
    private float[] _scratch = [];
    private int[] _order = [];

    /// <summary>A sampler with its own random stream: seeded from the options, or from <paramref name="streamSeed"/>.</summary>
    public TokenSampler(GenerationOptions options, int streamSeed)
    {
        options.Validate();
        _options = options;
        _random = new Random(streamSeed);
    }

    /// <summary>
    /// Picks the next token. <paramref name="logits"/> (V) is modified in place. <paramref name="context"/> is the
    /// prompt and the tokens generated so far (for the repetition penalty); <paramref name="generatedCounts"/>
    /// counts generated tokens only (for presence and frequency penalties).
    /// </summary>
    /// <param name="logits">One row of next-token logits (V).</param>
    /// <param name="context">The prompt and the tokens generated so far (read only for the repetition penalty).</param>
    /// <param name="generatedCounts">Generated tokens' counts (read only for presence and frequency penalties).</param>
    /// <param name="withLogProb">
    /// Whether greedy decoding computes the log-probability: a pass over the vocabulary a caller that does not report
    /// it need not pay (NaN is returned instead). Sampling has it for free.
    /// </param>
    /// <returns>The token and its log-probability under the final (processed) distribution.</returns>
    public (int Token, float LogProb) Next(Span<float> logits, ReadOnlySpan<int> context, IReadOnlyDictionary<int, int> generatedCounts, bool withLogProb = true)
    {
        LogitsProcessing.ApplyRepetitionPenalty(logits, context, _options.RepetitionPenalty);
        LogitsProcessing.ApplyPresenceAndFrequencyPenalties(logits, generatedCounts, _options.PresencePenalty, _options.FrequencyPenalty);

        if (!_options.DoSample)
        {
            int best = LogitsProcessing.ArgMax(logits);
            return (best, withLogProb ? LogitsProcessing.LogSoftmaxAt(logits, best) : float.NaN);
        }

        if (_options.Temperature != 1f) LogitsProcessing.Divide(logits, _options.Temperature);
        if (_options.TopK is > 0 and var k) LogitsProcessing.KeepTopK(logits, k);
        if (_options.TopP is < 1f and var p) LogitsProcessing.KeepTopP(logits, p, ref _order);

        if (_scratch.Length < logits.Length) _scratch = new float[logits.Length];
        Span<float> probabilities = _scratch.AsSpan(0, logits.Length);
        LogitsProcessing.Softmax(logits, probabilities);
        int token = LogitsProcessing.Draw(probabilities, _random.NextDouble());
        return (token, MathF.Log(probabilities[token]));
    }
}
