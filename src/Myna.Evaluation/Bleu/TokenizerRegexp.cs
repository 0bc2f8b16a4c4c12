using System.Text;

namespace Myna.Evaluation.Bleu;

/// <summary>
/// The language-dependent part of mteval-v13a that sacreBLEU's <c>13a</c> and <c>zh</c> tokenizers share
/// (sacreBLEU's <c>TokenizerRegexp</c>). Its four substitutions each match one or two ASCII characters, so they
/// are written as scans with the same left-to-right, non-overlapping semantics as Python's <c>re.sub</c>.
/// </summary>
internal static class TokenizerRegexp
{
    /// <summary>Applies the four substitutions in order, then collapses white space as Python's
    /// <c>' '.join(line.split())</c>.</summary>
    public static string Apply(string line)
    {
        var sb = new StringBuilder(line.Length * 2);

        // 1. Space out ASCII punctuation and symbols: [{-~[-` -&(-+:-@/] -> " \1 ".
        foreach (char c in line)
        {
            if (IsSplitSymbol(c)) sb.Append(' ').Append(c).Append(' ');
            else sb.Append(c);
        }
        string s = sb.ToString();

        // 2. Period and comma unless preceded by a digit: ([^0-9])([.,]) -> "\1 \2 ".
        sb.Clear();
        for (int i = 0; i < s.Length;)
        {
            if (i + 1 < s.Length && !IsDigit(s[i]) && IsPeriodOrComma(s[i + 1]))
            {
                sb.Append(s[i]).Append(' ').Append(s[i + 1]).Append(' ');
                i += 2;
            }
            else sb.Append(s[i++]);
        }
        s = sb.ToString();

        // 3. Period and comma unless followed by a digit: ([.,])([^0-9]) -> " \1 \2".
        sb.Clear();
        for (int i = 0; i < s.Length;)
        {
            if (i + 1 < s.Length && IsPeriodOrComma(s[i]) && !IsDigit(s[i + 1]))
            {
                sb.Append(' ').Append(s[i]).Append(' ').Append(s[i + 1]);
                i += 2;
            }
            else sb.Append(s[i++]);
        }
        s = sb.ToString();

        // 4. Dash when preceded by a digit: ([0-9])(-) -> "\1 \2 ".
        sb.Clear();
        for (int i = 0; i < s.Length;)
        {
            if (i + 1 < s.Length && IsDigit(s[i]) && s[i + 1] == '-')
            {
                sb.Append(s[i]).Append(" - ");
                i += 2;
            }
            else sb.Append(s[i++]);
        }
        return PythonText.NormalizeSpaces(sb.ToString());
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsPeriodOrComma(char c) => c is '.' or ',';

    // The character class [\{-\~\[-\` -\&\(-\+\:-\@\/] of mteval-v13a: ASCII punctuation and symbols except
    // period, comma, apostrophe and hyphen.
    private static bool IsSplitSymbol(char c) =>
        c is (>= '{' and <= '~') or (>= '[' and <= '`') or (>= ' ' and <= '&') or (>= '(' and <= '+') or (>= ':' and <= '@') or '/';
}
