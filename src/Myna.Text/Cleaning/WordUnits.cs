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

    /// <summary>Stable 64-bit hashes of the word units of <paramref name="text"/> (the same units as <see cref="Split"/>,
    /// lower-cased), without allocating a string per unit: what n-gram statistics and MinHash shingles are built from.</summary>
    public static List<ulong> Hashes(string text)
    {
        var hashes = new List<ulong>(text.Length / 5 + 1);
        Span<char> lower = stackalloc char[64];
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
                hashes.Add(HashLower(text.AsSpan(start, i - start), lower));
                start = -1;
            }
            if (han) hashes.Add(HashLower(text.AsSpan(i, 1), lower));
        }
        return hashes;
    }

    /// <summary>Combines <paramref name="n"/> consecutive unit hashes starting at <paramref name="start"/> into one
    /// n-gram hash (order-sensitive).</summary>
    public static ulong NgramHash(List<ulong> units, int start, int n)
    {
        ulong h = 0x9E3779B97F4A7C15UL * (ulong)n;
        for (int i = start; i < start + n; i++) h = Mix(h ^ units[i]) + 0x632BE59BD9B4E019UL;
        return h;
    }

    /// <summary>The SplitMix64 finaliser: a bijective 64-bit mix.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private static ulong HashLower(ReadOnlySpan<char> unit, Span<char> buffer)
    {
        Span<char> lower = unit.Length <= buffer.Length ? buffer[..unit.Length] : new char[unit.Length];
        unit.ToLowerInvariant(lower);
        return System.IO.Hashing.XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes((ReadOnlySpan<char>)lower));
    }

    /// <summary>True for characters counted by the symbol-to-word ratio: Unicode symbols (math, currency, modifier,
    /// other — which includes emoji) and the ASCII markup characters # | \ { } [ ] &lt; &gt; = ~ ^ `. Not * (bullets),
    /// _ (identifiers) or @ (addresses): ordinary in notes and changelogs.</summary>
    public static bool IsSymbol(char c)
    {
        if (c < 0x80) return "#|\\{}[]<>=~^`".Contains(c, StringComparison.Ordinal);
        if (char.IsSurrogate(c)) return char.IsHighSurrogate(c); // count an astral symbol (emoji) once
        return char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.MathSymbol
            or System.Globalization.UnicodeCategory.CurrencySymbol
            or System.Globalization.UnicodeCategory.ModifierSymbol
            or System.Globalization.UnicodeCategory.OtherSymbol;
    }
}
