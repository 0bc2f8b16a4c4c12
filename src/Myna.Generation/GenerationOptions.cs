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

    /// <summary>Return the log-probability of every generated token.</summary>
    public bool ReturnLogProbs { get; init; }

    /// <summary>Default number of new tokens when neither length is set: a few sentences.</summary>
    public const int DefaultMaxNewTokens = 50;

    /// <summary>New tokens allowed after a prompt of <paramref name="promptLength"/> tokens.</summary>
    public int NewTokenBudget(int promptLength) =>
        MaxNewTokens ?? (MaxLength is { } total ? Math.Max(0, total - promptLength) : DefaultMaxNewTokens);

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
    }
}
