namespace Myna.Text.Cleaning;

/// <summary>Language identification for the two languages Myna's corpora mix: Chinese by script (Han characters), and
/// English by script (Latin letters) plus, for texts of 25 words or more, English function words — so French or German
/// prose is "other" rather than English. Not a general language identifier.</summary>
public static class LanguageId
{
    /// <summary>The most frequent English function words (top of every English frequency list); in English prose they
    /// are about 40% of the words, in other Latin-script languages only a few percent ("a", "on", "me" by chance).</summary>
    private static readonly HashSet<string> EnglishFunctionWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "of", "and", "to", "in", "is", "that", "it", "for", "was", "with", "as", "are", "be", "this", "by", "not",
        "or", "have", "from", "at", "but", "they", "you", "he", "she", "we", "an", "will", "can", "has", "were", "which",
    };

    /// <summary>Below this share of English function words a long Latin-script text is not English (0.05: terse technical
    /// English such as changelog entries still has 6-10%; French, German or Spanish prose has under 2%).</summary>
    public const double EnglishFunctionWordShare = 0.05;

    /// <summary>Texts with fewer words are judged by script alone (titles and lists have few function words).</summary>
    private const int FunctionWordMinimumWords = 25;
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
        if (latin < 0.5 * letters) return "other";
        return LooksEnglish(text) ? "en" : "other";
    }

    private static bool LooksEnglish(ReadOnlySpan<char> text)
    {
        int words = 0, function = 0;
        var lookup = EnglishFunctionWords.GetAlternateLookup<ReadOnlySpan<char>>();
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool letter = i < text.Length && char.IsLetter(text[i]);
            if (letter)
            {
                if (start < 0) start = i;
                continue;
            }
            if (start < 0) continue;
            words++;
            if (lookup.Contains(text[start..i])) function++;
            start = -1;
        }
        return words < FunctionWordMinimumWords || function >= EnglishFunctionWordShare * words;
    }

    /// <summary>True for a CJK unified ideograph (basic block, extension A, compatibility block).</summary>
    public static bool IsHan(char c) => c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF';
}
