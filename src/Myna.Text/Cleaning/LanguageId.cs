namespace Myna.Text.Cleaning;

/// <summary>Script-based language identification for the two languages Myna's corpora mix: Chinese (Han characters)
/// and English (Latin letters). Not a general language identifier: any Latin-script text counts as English.</summary>
public static class LanguageId
{
    /// <summary>Share of letters that must be Han for a text to be Chinese. Low, because Chinese text often carries
    /// Latin product names and code, and one Han character carries about as much as a whole English word.</summary>
    public const double ChineseHanShare = 0.3;

    /// <summary>Returns "zh", "en" or "other" (no letters, or mostly another script: Cyrillic, Arabic, kana...).</summary>
    public static string Detect(ReadOnlySpan<char> text)
    {
        int han = 0, latin = 0, kana = 0, other = 0;
        foreach (char c in text)
        {
            if (c < 0x80)
            {
                if (char.IsAsciiLetter(c)) latin++;
                continue;
            }
            if (IsHan(c)) han++;
            else if (c is >= '\u3040' and <= '\u30FF') kana++;
            else if (char.IsLetter(c))
            {
                if (c <= '\u024F' || c is >= '\u1E00' and <= '\u1EFF') latin++;
                else if (!char.IsSurrogate(c)) other++;
            }
        }
        int letters = han + latin + kana + other;
        if (letters == 0) return "other";
        if (han >= ChineseHanShare * letters && kana < 0.1 * (han + kana)) return "zh";
        if (latin >= 0.5 * letters) return "en";
        return "other";
    }

    /// <summary>True for a CJK unified ideograph (basic block, extension A, compatibility block).</summary>
    public static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF';
}
