namespace Myna.Evaluation.Bleu;

/// <summary>sacreBLEU's <c>none</c> tokenizer: the text is used as it is and split on white space.</summary>
public sealed class TokenizerNone : BleuTokenizer
{
    /// <summary>The shared instance (the tokenizer has no state).</summary>
    public static TokenizerNone Instance { get; } = new();

    private TokenizerNone() { }

    /// <inheritdoc />
    public override string Name => "none";

    /// <inheritdoc />
    public override string Tokenize(string line) => line;
}
