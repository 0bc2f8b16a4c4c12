namespace Myna.Generation;

/// <summary>
/// How to continue a prompt. Every default lives here, once. Sampling filters are off unless set: unlike
/// transformers there is no hidden top-k of 50.
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>New tokens to generate at most; the primary length knob. Default 50: a few sentences.</summary>
    public int? MaxNewTokens { get; init; }

    /// <summary>
    /// Prompt plus new tokens at most, as transformers' <c>max_length</c>; accepted for compatibility. When both
    /// are set, <see cref="MaxNewTokens"/> wins, as in transformers.
    /// </summary>
    public int? MaxLength { get; init; }

    /// <summary>Sample from the distribution; false means greedy (argmax), transformers' default.</summary>
    public bool DoSample { get; init; }

    /// <summary>Divides logits before sampling; 1 leaves them unchanged. Must be positive.</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Keep only the K most likely tokens; null or 0 keeps all.</summary>
    public int? TopK { get; init; }

    /// <summary>Keep the smallest set of tokens whose probability reaches P (nucleus); null or 1 keeps all.</summary>
    public float? TopP { get; init; }

    /// <summary>transformers' repetition penalty (CTRL): tokens already present are made less likely; 1 is off.</summary>
    public float RepetitionPenalty { get; init; } = 1f;

    /// <summary>OpenAI-style: subtracted once from the logit of every token already generated; 0 is off.</summary>
    public float PresencePenalty { get; init; }

    /// <summary>OpenAI-style: subtracted from a token's logit per time it was generated; 0 is off.</summary>
    public float FrequencyPenalty { get; init; }

    /// <summary>Generation stops when the text ends with one of these (the stop text is not returned).</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Stop at the end-of-text token (when the vocabulary has one).</summary>
    public bool StopAtEndOfText { get; init; } = true;

    /// <summary>Independent continuations per prompt.</summary>
    public int NumReturnSequences { get; init; } = 1;

    /// <summary>Seed for sampling, so that the same seed gives the same text; null picks one at random.</summary>
    public int? Seed { get; init; }

    /// <summary>
    /// Return the log-probability of every generated token. Log-probabilities describe the distribution the token was
    /// chosen from: the model's logits after <see cref="LogitBias"/> and the penalties, and, when sampling, after
    /// temperature, top-k and top-p (vLLM's <c>processed_logprobs</c>); greedy decoding reports that distribution at
    /// temperature 1. A token filtered out by top-k or top-p has probability 0 and is never listed.
    /// </summary>
    public bool ReturnLogProbs { get; init; }

    /// <summary>
    /// Alternatives to report per generated token (OpenAI's <c>top_logprobs</c>): the most likely tokens of the same
    /// distribution as <see cref="ReturnLogProbs"/>, found by partial selection. 0 (off) to <see cref="MaxTopLogProbs"/>;
    /// needs <see cref="ReturnLogProbs"/>.
    /// </summary>
    public int TopLogProbs { get; init; }

    /// <summary>
    /// Score the prompt too (completions' <c>echo</c> with <c>logprobs</c>, vLLM's <c>prompt_logprobs</c>): each prompt
    /// token's log-probability given the tokens before it, under the model's own distribution (no bias, penalty or
    /// temperature: nothing was sampled there), and this many alternatives per position. Null: off. The prompt is then
    /// computed whole (no prefix reuse), with logits for each of its positions.
    /// </summary>
    public int? PromptLogProbs { get; init; }

    /// <summary>
    /// Added to the logits of these token ids before penalties, filters and the choice (OpenAI's <c>logit_bias</c>):
    /// −100 to 100; ±100 in practice bans or forces a token. Empty: off.
    /// </summary>
    public IReadOnlyDictionary<int, float> LogitBias { get; init; } = new Dictionary<int, float>();

    /// <summary>
    /// Replace personal data and secrets in the generated text with placeholders (<c>PiiRedactor</c>), streamed text
    /// too: text is released only up to a point no detected item can span, so a secret split over tokens never leaves.
    /// </summary>
    public bool RedactPii { get; init; }

    /// <summary>
    /// Phrases that end the sequence with <see cref="FinishReason.ContentFilter"/> when the text comes to contain one
    /// (compared ignoring case); the text is cut before the phrase, which is never streamed. Empty: off.
    /// </summary>
    public IReadOnlyList<string> BlockedPhrases { get; init; } = [];

    /// <summary>Most alternatives per token (<see cref="TopLogProbs"/>, <see cref="PromptLogProbs"/>): OpenAI's limit for chat.</summary>
    public const int MaxTopLogProbs = 20;

    /// <summary>The bias range of <see cref="LogitBias"/>, OpenAI's.</summary>
    public const float MaxLogitBias = 100f;

    /// <summary>Default number of new tokens when neither length is set: a few sentences.</summary>
    public const int DefaultMaxNewTokens = 50;

    /// <summary>New tokens allowed after a prompt of <paramref name="promptLength"/> tokens.</summary>
    public int NewTokenBudget(int promptLength) =>
        MaxNewTokens ?? (MaxLength is { } total ? Math.Max(0, total - promptLength) : DefaultMaxNewTokens);

    /// <summary>Sampling temperatures below this decode greedily (argmax): 1e-5, vLLM's threshold. Dividing logits by a
    /// smaller temperature overflows them, and the distribution is one-hot in effect anyway.</summary>
    public const float GreedyBelowTemperature = 1e-5f;

    /// <summary>Checks every option; the message names the option and the allowed range.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        if (MaxNewTokens is < 0) throw new ArgumentException($"MaxNewTokens must be 0 or more; it is {MaxNewTokens}.");
        if (MaxLength is < 1) throw new ArgumentException($"MaxLength must be 1 or more; it is {MaxLength}.");
        if (!(Temperature > 0) || float.IsInfinity(Temperature)) throw new ArgumentException($"Temperature must be a positive number; it is {Temperature}.");
        if (TopK is < 0) throw new ArgumentException($"TopK must be 0 (off) or more; it is {TopK}.");
        if (TopP is { } p && !(p > 0 && p <= 1)) throw new ArgumentException($"TopP must be in (0, 1]; it is {p}.");
        if (!(RepetitionPenalty > 0) || float.IsInfinity(RepetitionPenalty)) throw new ArgumentException($"RepetitionPenalty must be a positive number; it is {RepetitionPenalty}.");
        if (!float.IsFinite(PresencePenalty)) throw new ArgumentException("PresencePenalty must be a finite number.");
        if (!float.IsFinite(FrequencyPenalty)) throw new ArgumentException("FrequencyPenalty must be a finite number.");
        if (NumReturnSequences < 1) throw new ArgumentException($"NumReturnSequences must be 1 or more; it is {NumReturnSequences}.");
        if (!DoSample && NumReturnSequences > 1)
            throw new ArgumentException("NumReturnSequences > 1 needs DoSample: greedy decoding would return the same text every time.");
        if (StopSequences.Any(string.IsNullOrEmpty)) throw new ArgumentException("StopSequences may not contain empty strings.");
        if (TopLogProbs is < 0 or > MaxTopLogProbs) throw new ArgumentException($"TopLogProbs must be 0 to {MaxTopLogProbs}; it is {TopLogProbs}.");
        if (TopLogProbs > 0 && !ReturnLogProbs) throw new ArgumentException("TopLogProbs needs ReturnLogProbs.");
        if (PromptLogProbs is < 0 or > MaxTopLogProbs) throw new ArgumentException($"PromptLogProbs must be 0 to {MaxTopLogProbs}; it is {PromptLogProbs}.");
        ArgumentNullException.ThrowIfNull(LogitBias, nameof(LogitBias));
        foreach ((int token, float bias) in LogitBias)
        {
            if (token < 0) throw new ArgumentException($"LogitBias names token {token}; token ids are 0 or more.");
            if (!(bias >= -MaxLogitBias && bias <= MaxLogitBias))
                throw new ArgumentException($"LogitBias values must be between {-MaxLogitBias} and {MaxLogitBias}; token {token} has {bias}.");
        }
        ArgumentNullException.ThrowIfNull(BlockedPhrases, nameof(BlockedPhrases));
        if (BlockedPhrases.Any(string.IsNullOrEmpty)) throw new ArgumentException("BlockedPhrases may not contain empty strings.");
    }

    /// <summary>Checks every option, and that <see cref="LogitBias"/> names only ids of a <paramref name="vocabularySize"/>-token vocabulary.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate(int vocabularySize)
    {
        Validate();
        foreach (int token in LogitBias.Keys)
        {
            if (token >= vocabularySize) throw new ArgumentException($"LogitBias names token {token}, outside the vocabulary [0, {vocabularySize}).");
        }
    }
}
