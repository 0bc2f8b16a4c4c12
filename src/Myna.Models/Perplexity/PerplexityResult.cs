namespace Myna.Models.Perplexity;

/// <summary>How well a model predicts a text.</summary>
/// <param name="Tokens">Tokens scored (every token but the first: the first has no context to be predicted from).</param>
/// <param name="NegativeLogLikelihood">Sum of −ln p(token | context) over the scored tokens, in nats.</param>
/// <param name="Bytes">UTF-8 bytes of the text the scored tokens decode to (0 when unknown).</param>
/// <param name="ContextLength">Window length used (at most the model's n_ctx).</param>
/// <param name="Stride">Tokens the window advances by; each window scores only its last <c>Stride</c> tokens.</param>
public sealed record PerplexityResult(long Tokens, double NegativeLogLikelihood, long Bytes, int ContextLength, int Stride)
{
    /// <summary>Mean negative log-likelihood per token (nats): the cross-entropy loss.</summary>
    public double MeanLoss => Tokens == 0 ? double.NaN : NegativeLogLikelihood / Tokens;

    /// <summary>exp(mean loss).</summary>
    public double Perplexity => Math.Exp(MeanLoss);

    /// <summary>
    /// How the figure was measured, to print beside it ("21,046 tokens, window 256, stride 128"): perplexities measured
    /// differently are not comparable, so every place that shows one says which it is.
    /// </summary>
    public string Definition => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Tokens:N0} tokens, window {ContextLength}, stride {Stride}");

    /// <summary>Bits per UTF-8 byte: comparable across tokenizers.</summary>
    public double BitsPerByte => Bytes == 0 ? double.NaN : NegativeLogLikelihood / Math.Log(2) / Bytes;
}
