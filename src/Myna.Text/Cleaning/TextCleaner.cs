using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Myna.Text.Cleaning;

/// <summary>Normalises one document's text: Unicode NFKC (optional), no control or zero-width characters, no markup
/// remnants (stray tags, HTML entities), spaces collapsed, lines trimmed, at most one blank line between paragraphs.</summary>
public sealed partial class TextCleaner(CleaningOptions options)
{

    /// <summary>Returns the cleaned text (possibly empty).</summary>
    public string Clean(string text)
    {
        // 1. Markup remnants first, so that entities decoded to characters go through normalisation below.
        if (text.Contains('<', StringComparison.Ordinal)) text = Tag().Replace(text, " ");
        if (text.Contains('&', StringComparison.Ordinal) && Entity().IsMatch(text)) text = WebUtility.HtmlDecode(text);

        // 2. Unicode normal form.
        // The platform's ICU does NFKC (the build keeps globalization on for exactly this).
        if (options.Nfkc && !text.IsNormalized(System.Text.NormalizationForm.FormKC)) text = text.Normalize(System.Text.NormalizationForm.FormKC);

        // 3. One pass: drop invisible characters, map every kind of space to ' ', collapse spaces, trim lines,
        //    allow at most one blank line in a row.
        var output = new StringBuilder(text.Length);
        int newlines = 0;
        bool pendingSpace = false;
        foreach (char c in text)
        {
            if (c == '\n')
            {
                pendingSpace = false;
                if (output.Length > 0) newlines++;
                continue;
            }
            if (c == '\t' || c == ' ' || (c > 0x7F && char.IsWhiteSpace(c)))
            {
                pendingSpace = true;
                continue;
            }
            if (IsInvisible(c)) continue;
            if (newlines > 0)
            {
                output.Append(newlines == 1 ? "\n" : "\n\n");
                newlines = 0;
            }
            else if (pendingSpace && output.Length > 0) output.Append(' ');
            pendingSpace = false;
            output.Append(c);
        }
        return output.ToString();
    }

    /// <summary>Control characters (other than line feed and tab, handled as white space), zero-width characters,
    /// soft hyphens, bidirectional overrides and the byte-order mark: invisible, and they split words for the tokenizer.</summary>
    public static bool IsInvisible(char c)
    {
        if (c < 0x20 || c is >= '\u007F' and <= '\u009F') return true;
        return c is '\u00AD' or '\u200B' or '\u200C' or '\u200D' or '\u200E' or '\u200F' or '\u2060' or '\uFEFF'
            or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069')
            || (c > 0x7F && CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format && !char.IsSurrogate(c));
    }

    // A tag as left behind by a careless HTML-to-text conversion: <p>, </div>, <br/>, <a href="...">.
    [GeneratedRegex(@"</?[A-Za-z][A-Za-z0-9]{0,15}(\s[^<>]{0,300})?/?>")] private static partial Regex Tag();

    [GeneratedRegex(@"&(#\d{1,7}|#x[0-9A-Fa-f]{1,6}|[A-Za-z]{2,8});")] private static partial Regex Entity();
}
