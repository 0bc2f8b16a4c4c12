using Myna.Models.Inference;

namespace Myna.Apps.Translation;

/// <summary>How <see cref="Translator"/> decodes, each default once.</summary>
public sealed record TranslatorOptions
{
    /// <summary>Sources decoded together: 16 keeps every row of a step in the batched matrix-product kernels (4-16 rows)
    /// and a batch of similar lengths (sources are sorted by length) wastes few steps on finished rows.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>Weight precision for decoding: f16 is what the model ships in, and halves what each step reads.</summary>
    public InferencePrecision Precision { get; init; } = InferencePrecision.F16;

    /// <summary>New tokens allowed per source token: a Chinese translation takes about as many tokens as its English
    /// (≈ 1.1 tokens per character, ≈ 1.5 characters per English word); twice that stops a translation that never
    /// ends its line.</summary>
    public double MaxNewTokensPerSourceToken { get; init; } = 2.0;

    /// <summary>New tokens allowed on top of the per-token allowance, for very short sources.</summary>
    public int ExtraNewTokens { get; init; } = 16;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public TranslatorOptions Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxNewTokensPerSourceToken, nameof(MaxNewTokensPerSourceToken));
        ArgumentOutOfRangeException.ThrowIfNegative(ExtraNewTokens, nameof(ExtraNewTokens));
        if (MaxNewTokensPerSourceToken == 0 && ExtraNewTokens == 0) throw new ArgumentOutOfRangeException(nameof(ExtraNewTokens), "no new tokens would be allowed");
        return this;
    }
}
