using System.IO.Hashing;
using System.Runtime.InteropServices;
using Myna.Text.Cleaning;

namespace Myna.Text.Dedup;

/// <summary>The normalised form two documents must share to count as exact duplicates: word units (letters and digits
/// lower-cased, Han characters one by one) joined by single spaces, so case, punctuation and spacing do not matter.</summary>
public static class TextFingerprint
{
    /// <summary>Returns the normalised form of <paramref name="text"/>.</summary>
    public static string Normalise(string text) => string.Join(' ', WordUnits.Split(text));

    /// <summary>A 128-bit hash (XxHash128, stable across runs and machines) of the normalised text.</summary>
    public static UInt128 Hash(string text)
    {
        string normal = Normalise(text);
        return XxHash128.HashToUInt128(MemoryMarshal.AsBytes(normal.AsSpan()));
    }

    /// <summary>A stable 64-bit hash of a UTF-16 string (XxHash3).</summary>
    public static ulong Hash64(ReadOnlySpan<char> text) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text));

    /// <summary>Lower-case hexadecimal of a 128-bit hash (for reports).</summary>
    public static string ToHex(UInt128 hash) => hash.ToString("x32", System.Globalization.CultureInfo.InvariantCulture);
}
