namespace Myna.Text.Cleaning;

/// <summary>Splits text into the units quality filters count: runs of letters and digits (lower-cased) and single Han
/// characters (a Chinese character is roughly the unit an English word is, for these ratios).</summary>
public static class WordUnits
{
    /// <summary>Enumerates the word units of <paramref name="text"/>.</summary>
    public static List<string> Split(string text)
    {
        var units = new List<string>();
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            char c = i < text.Length ? text[i] : ' ';
            bool han = LanguageId.IsHan(c);
            bool word = !han && (char.IsLetterOrDigit(c) || c == '\'' && start >= 0);
            if (word)
            {
                if (start < 0) start = i;
                continue;
            }
            if (start >= 0)
            {
                units.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
            if (han) units.Add(c.ToString());
        }
        return units;
    }

    /// <summary>True for characters counted by the symbol-to-word ratio: Unicode symbols (math, currency, modifier,
    /// other — which includes emoji) and the ASCII markup characters # | \ { } [ ] &lt; &gt; = ~ ^ * _ @.</summary>
    public static bool IsSymbol(char c)
    {
        if (c < 0x80) return "#|\\{}[]<>=~^*_@`".Contains(c, StringComparison.Ordinal);
        if (char.IsSurrogate(c)) return char.IsHighSurrogate(c); // count an astral symbol (emoji) once
        return char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.MathSymbol
            or System.Globalization.UnicodeCategory.CurrencySymbol
            or System.Globalization.UnicodeCategory.ModifierSymbol
            or System.Globalization.UnicodeCategory.OtherSymbol;
    }
}
