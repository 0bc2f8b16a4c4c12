using System.Globalization;
using System.Text;

namespace Myna.Evaluation;

/// <summary>
/// The few Python <c>str</c> operations the reference metrics rely on (<c>split()</c>, <c>strip()</c>,
/// <c>lower()</c>), reproduced so that tokens come out exactly as in sacreBLEU and rouge-score.
/// Python works on code points; these helpers walk <see cref="Rune"/>s for the same reason.
/// </summary>
public static class PythonText
{
    /// <summary>Python's <c>str.isspace()</c> for one UTF-16 unit: .NET's white space plus U+001C..U+001F
    /// (file, group, record and unit separators), which Python also treats as white space.</summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001C' and <= '\u001F';

    /// <summary>Python's <c>str.split()</c> with no arguments: runs of white space separate, no empty parts.</summary>
    public static List<string> Split(string text)
    {
        var parts = new List<string>();
        int start = -1;
        for (int i = 0; i < text.Length; i++)
        {
            if (IsSpace(text[i]))
            {
                if (start >= 0) parts.Add(text[start..i]);
                start = -1;
            }
            else if (start < 0)
            {
                start = i;
            }
        }
        if (start >= 0) parts.Add(text[start..]);
        return parts;
    }

    /// <summary>Python's <c>' '.join(text.split())</c>: one space between words, none at the ends.</summary>
    public static string NormalizeSpaces(string text) => string.Join(' ', Split(text));

    /// <summary>Python's <c>str.rstrip()</c>.</summary>
    public static string RStrip(string text)
    {
        int end = text.Length;
        while (end > 0 && IsSpace(text[end - 1])) end--;
        return end == text.Length ? text : text[..end];
    }

    /// <summary>Python's <c>str.strip()</c>.</summary>
    public static string Strip(string text)
    {
        int start = 0;
        while (start < text.Length && IsSpace(text[start])) start++;
        return RStrip(text[start..]);
    }

    /// <summary>
    /// Python's <c>str.lower()</c>: the simple lowercase mapping of every code point, plus the two places where
    /// Python uses full mappings: U+0130 (capital I with dot) becomes "i\u0307", and capital sigma becomes final
    /// sigma (U+03C2) at the end of a word.
    /// </summary>
    public static string Lower(string text)
    {
        StringBuilder? sb = null;
        for (int i = 0; i < text.Length;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(i), out Rune rune, out int used);
            Rune lower = Rune.ToLowerInvariant(rune);
            string? special = rune.Value switch
            {
                0x0130 => "i\u0307",
                0x03A3 => IsFinalSigma(text, i) ? "\u03C2" : "\u03C3",
                _ => null,
            };
            if (sb is null && (special is not null || lower != rune))
                sb = new StringBuilder(text.Length + 4).Append(text, 0, i);
            if (sb is not null)
            {
                if (special is not null) sb.Append(special);
                else sb.Append(lower.ToString());
            }
            i += used;
        }
        return sb?.ToString() ?? text;
    }

    // Unicode's Final_Sigma context as CPython tests it: a cased letter before (skipping case-ignorable
    // characters) and no cased letter after (again skipping case-ignorable ones).
    private static bool IsFinalSigma(string text, int index)
    {
        int j = index - 1;
        Rune before = default;
        bool found = false;
        while (j >= 0)
        {
            int start = j > 0 && char.IsLowSurrogate(text[j]) && char.IsHighSurrogate(text[j - 1]) ? j - 1 : j;
            Rune.DecodeFromUtf16(text.AsSpan(start), out before, out _);
            if (!IsCaseIgnorable(before)) { found = true; break; }
            j = start - 1;
        }
        if (!found || !IsCased(before)) return false;
        for (int k = index + 1; k < text.Length;)
        {
            Rune.DecodeFromUtf16(text.AsSpan(k), out Rune after, out int used);
            if (!IsCaseIgnorable(after)) return !IsCased(after);
            k += used;
        }
        return true;
    }

    private static bool IsCased(Rune rune) => Rune.GetUnicodeCategory(rune) is
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter;

    private static bool IsCaseIgnorable(Rune rune) =>
        Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark
            or UnicodeCategory.Format or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol
        // Word_Break MidLetter / MidNumLet / Single_Quote, the rest of Unicode's Case_Ignorable set.
        || rune.Value is '\'' or '.' or ':' or 0x00B7 or 0x0387 or 0x055F or 0x05F4 or 0x2018 or 0x2019
            or 0x2024 or 0x2027 or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A;
}
