namespace Myna.Generation.Sampling;

/// <summary>
/// Turns one row of next-token logits into a token: logit bias, penalties, then temperature, top-k and top-p, then the
/// choice (argmax, or a draw from the softmax). The order matches transformers' logits processors and warpers, with
/// OpenAI's <c>logit_bias</c> first.
/// </summary>
public sealed class TokenSampler
{
    private readonly GenerationOptions _options;
    private readonly Random _random;
    private readonly int[] _biasTokens;
    private readonly float[] _biases;
    private float[] _scratch = [];
    private int[] _order = [];

    /// <summary>A sampler with its own random stream: seeded from the options, or from <paramref name="streamSeed"/>.</summary>
    public TokenSampler(GenerationOptions options, int streamSeed)
    {
        options.Validate();
        _options = options;
        _random = new Random(streamSeed);
        // Sorted by id so the bias is applied in the same order whatever order the dictionary enumerates.
        _biasTokens = [.. options.LogitBias.Keys.Order()];
        _biases = [.. _biasTokens.Select(t => options.LogitBias[t])];
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
    public (int Token, float LogProb) Next(Span<float> logits, ReadOnlySpan<int> context, IReadOnlyDictionary<int, int> generatedCounts, bool withLogProb = true) =>
        Next(logits, context, generatedCounts, withLogProb, 0, out _);

    /// <summary>
    /// Picks the next token as <see cref="Next(Span{float}, ReadOnlySpan{int}, IReadOnlyDictionary{int, int}, bool)"/>
    /// does, and reports the <paramref name="alternatives"/> most likely tokens of the same distribution, most likely
    /// first (fewer when fewer have a non-zero probability; null when <paramref name="alternatives"/> is 0).
    /// </summary>
    public (int Token, float LogProb) Next(Span<float> logits, ReadOnlySpan<int> context, IReadOnlyDictionary<int, int> generatedCounts, bool withLogProb,
        int alternatives, out TokenLogProbability[]? top)
    {
        top = null;
        LogitsProcessing.ApplyLogitBias(logits, _biasTokens, _biases);
        LogitsProcessing.ApplyRepetitionPenalty(logits, context, _options.RepetitionPenalty);
        LogitsProcessing.ApplyPresenceAndFrequencyPenalties(logits, generatedCounts, _options.PresencePenalty, _options.FrequencyPenalty);
        Span<int> chosen = alternatives > 0 ? stackalloc int[alternatives] : [];

        // A temperature this close to 0 is greedy in effect, and dividing by it overflows the logits to infinity (every
        // probability NaN, the draw then lands on whatever token comes first): take the argmax, as vLLM does below 1e-5.
        if (!_options.DoSample || _options.Temperature < GenerationOptions.GreedyBelowTemperature)
        {
            int best = LogitsProcessing.ArgMax(logits);
            if (!withLogProb && alternatives == 0) return (best, float.NaN);
            (float max, double logSum) = LogitsProcessing.LogSoftmaxNormalizer(logits);
            if (alternatives > 0)
            {
                int found = LogitsProcessing.SelectLargest(logits, chosen);
                top = new TokenLogProbability[found];
                for (int i = 0; i < found; i++) top[i] = new(chosen[i], LogitsProcessing.LogSoftmaxAt(logits, chosen[i], max, logSum));
            }
            return (best, LogitsProcessing.LogSoftmaxAt(logits, best, max, logSum));
        }

        if (_options.Temperature != 1f) LogitsProcessing.Divide(logits, _options.Temperature);
        if (_options.TopK is > 0 and var k) LogitsProcessing.KeepTopK(logits, k);
        if (_options.TopP is < 1f and var p) LogitsProcessing.KeepTopP(logits, p, ref _order);

        if (_scratch.Length < logits.Length) _scratch = new float[logits.Length];
        Span<float> probabilities = _scratch.AsSpan(0, logits.Length);
        LogitsProcessing.Softmax(logits, probabilities);
        int token = LogitsProcessing.Draw(probabilities, _random.NextDouble());
        if (alternatives > 0)
        {
            // The same values the drawn token reports: log of the probabilities it was drawn from; zeros are left out.
            int found = LogitsProcessing.SelectLargest(probabilities, chosen, floor: 0f);
            top = new TokenLogProbability[found];
            for (int i = 0; i < found; i++) top[i] = new(chosen[i], MathF.Log(probabilities[chosen[i]]));
        }
        return (token, MathF.Log(probabilities[token]));
    }
}
