using System.Globalization;
using System.Text;

namespace Myna.Evaluation.Bleu;

/// <summary>
/// sacreBLEU's <c>intl</c> tokenizer (mteval-v14 international tokenization): splits Unicode punctuation
/// unless it sits between digits, and every Unicode symbol.
/// </summary>
/// <remarks>
/// sacreBLEU applies three <c>regex</c>-module substitutions over code points: <c>(\P{N})(\p{P})</c> → <c>"\1 \2 "</c>,
/// <c>(\p{P})(\P{N})</c> → <c>" \1 \2"</c>, <c>(\p{S})</c> → <c>" \1 "</c>. They are written here as scans over
/// <see cref="Rune"/>s, because .NET's Regex sees UTF-16 units and would not match symbols outside the BMP
/// (emoji, for one). Categories come from .NET's Unicode tables, which may trail the <c>regex</c> module's
/// Unicode version for newly assigned characters.
/// </remarks>
public sealed class TokenizerIntl : BleuTokenizer
{
    /// <summary>The shared instance (the tokenizer has no state).</summary>
    public static TokenizerIntl Instance { get; } = new();

    private TokenizerIntl() { }

    /// <inheritdoc />
    public override string Name => "intl";

    /// <inheritdoc />
    public override string Tokenize(string line)
    {
        Rune[] runes = ToRunes(line);
        var output = new List<Rune>(runes.Length * 2);
        var space = new Rune(' ');

        // 1. Punctuation preceded by a non-digit: (\P{N})(\p{P}) -> "\1 \2 ".
        for (int i = 0; i < runes.Length;)
        {
            if (i + 1 < runes.Length && !IsNumber(runes[i]) && IsPunctuation(runes[i + 1]))
            {
                output.AddRange([runes[i], space, runes[i + 1], space]);
                i += 2;
            }
            else output.Add(runes[i++]);
        }
        runes = [.. output];
        output.Clear();

        // 2. Punctuation followed by a non-digit: (\p{P})(\P{N}) -> " \1 \2".
        for (int i = 0; i < runes.Length;)
        {
            if (i + 1 < runes.Length && IsPunctuation(runes[i]) && !IsNumber(runes[i + 1]))
            {
                output.AddRange([space, runes[i], space, runes[i + 1]]);
                i += 2;
            }
            else output.Add(runes[i++]);
        }

        // 3. Every symbol: (\p{S}) -> " \1 ".
        var sb = new StringBuilder(output.Count * 2);
        foreach (Rune rune in output)
        {
            if (IsSymbol(rune)) sb.Append(' ').Append(rune.ToString()).Append(' ');
            else sb.Append(rune.ToString());
        }
        return PythonText.NormalizeSpaces(sb.ToString());
    }

    private static Rune[] ToRunes(string text)
    {
        var runes = new List<Rune>(text.Length);
        foreach (Rune rune in text.EnumerateRunes()) runes.Add(rune);
        return [.. runes];
    }

    private static bool IsNumber(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber;

    private static bool IsPunctuation(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
        or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
        or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation;

    private static bool IsSymbol(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
        or UnicodeCategory.OtherSymbol;
}
