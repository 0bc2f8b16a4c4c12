using System.Text;

namespace Myna.Evaluation.Bleu;

/// <summary>
/// sacreBLEU's <c>zh</c> tokenizer: every Chinese character becomes its own token, the rest is tokenized by
/// the language-dependent part of <c>13a</c>.
/// </summary>
/// <remarks>
/// "Chinese character" means sacreBLEU's table of ranges, compared the way Python compares one-character
/// strings. Two of its entries are written as five-hex-digit escapes (<c>'\u20000'</c>, <c>'\u2f800'</c>), which
/// Python reads as a four-digit escape followed by the digit '0'; as string bounds they make the ranges
/// U+2001..U+2A6D and U+2F81..U+2FA1, which include general punctuation (curly quotes, dashes), arrows and math
/// operators. Characters outside the BMP match no range. We reproduce this to give sacreBLEU's numbers.
/// </remarks>
public sealed class TokenizerZh : BleuTokenizer
{
    /// <summary>The shared instance (the tokenizer has no state).</summary>
    public static TokenizerZh Instance { get; } = new();

    // Inclusive code point ranges, in sacreBLEU's order, with its two five-digit escapes read as Python reads them.
    private static readonly (int Start, int End)[] ChineseRanges =
    [
        (0x3400, 0x4DB5), (0x4E00, 0x9FA5), (0x9FA6, 0x9FBB), (0xF900, 0xFA2D), (0xFA30, 0xFA6A), (0xFA70, 0xFAD9),
        (0x2001, 0x2A6D), // '\u2000' + '0' <= c <= '\u2a6d' + '6' for a single character c
        (0x2F81, 0x2FA1), // '\u2f80' + '0' <= c <= '\u2fa1' + 'd'
        (0xFF00, 0xFFEF), (0x2E80, 0x2EFF), (0x3000, 0x303F), (0x31C0, 0x31EF), (0x2F00, 0x2FDF), (0x2FF0, 0x2FFF),
        (0x3100, 0x312F), (0x31A0, 0x31BF), (0xFE10, 0xFE1F), (0xFE30, 0xFE4F), (0x2600, 0x26FF), (0x2700, 0x27BF),
        (0x3200, 0x32FF), (0x3300, 0x33FF),
    ];

    private TokenizerZh() { }

    /// <inheritdoc />
    public override string Name => "zh";

    /// <summary>Whether sacreBLEU's <c>zh</c> tokenizer treats <paramref name="rune"/> as a Chinese character.</summary>
    public static bool IsChineseChar(Rune rune)
    {
        foreach ((int start, int end) in ChineseRanges)
        {
            if (rune.Value >= start && rune.Value <= end) return true;
        }
        return false;
    }

    /// <inheritdoc />
    public override string Tokenize(string line)
    {
        line = PythonText.Strip(line);
        var sb = new StringBuilder(line.Length * 2);
        foreach (Rune rune in line.EnumerateRunes())
        {
            if (IsChineseChar(rune)) sb.Append(' ').Append(rune.ToString()).Append(' ');
            else sb.Append(rune.ToString());
        }
        return TokenizerRegexp.Apply(sb.ToString());
    }
}
