using System.Text;

namespace Myna.Evaluation.Bleu;

/// <summary>sacreBLEU's <c>char</c> tokenizer: every character (code point) is a token; white space disappears
/// when the n-grams are counted.</summary>
public sealed class TokenizerChar : BleuTokenizer
{
    /// <summary>The shared instance (the tokenizer has no state).</summary>
    public static TokenizerChar Instance { get; } = new();

    private TokenizerChar() { }

    /// <inheritdoc />
    public override string Name => "char";

    /// <inheritdoc />
    public override string Tokenize(string line)
    {
        var sb = new StringBuilder(line.Length * 2);
        foreach (Rune rune in line.EnumerateRunes())
        {
            if (sb.Length > 0) sb.Append(' ');
            sb.Append(rune.ToString());
        }
        return sb.ToString();
    }
}
