namespace Myna.Evaluation.Bleu;

/// <summary>sacreBLEU's default <c>13a</c> tokenizer: the tokenization of WMT's mteval-v13a.pl script.</summary>
public sealed class Tokenizer13a : BleuTokenizer
{
    /// <summary>The shared instance (the tokenizer has no state).</summary>
    public static Tokenizer13a Instance { get; } = new();

    private Tokenizer13a() { }

    /// <inheritdoc />
    public override string Name => "13a";

    /// <inheritdoc />
    public override string Tokenize(string line)
    {
        // Language-independent part: drop <skipped>, join hyphenated line breaks, unescape four XML entities.
        line = line.Replace("<skipped>", "", StringComparison.Ordinal)
            .Replace("-\n", "", StringComparison.Ordinal)
            .Replace('\n', ' ');
        if (line.Contains('&'))
        {
            line = line.Replace("&quot;", "\"", StringComparison.Ordinal)
                .Replace("&amp;", "&", StringComparison.Ordinal)
                .Replace("&lt;", "<", StringComparison.Ordinal)
                .Replace("&gt;", ">", StringComparison.Ordinal);
        }
        // The padding spaces let the period/comma rules see the ends of the line (mteval's " $norm_text ").
        return TokenizerRegexp.Apply($" {line} ");
    }
}
