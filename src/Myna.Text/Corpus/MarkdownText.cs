using System.Text;
using System.Text.RegularExpressions;

namespace Myna.Text.Corpus;

/// <summary>Turns Markdown into the prose a reader sees: heading marks, emphasis, link targets, images, fences,
/// list bullets and table pipes go; the words (including code inside fences) stay.</summary>
public static partial class MarkdownText
{
    /// <summary>Returns the visible text of a Markdown fragment, line by line.</summary>
    public static string ToPlainText(string markdown)
    {
        var output = new StringBuilder(markdown.Length);
        foreach (string raw in markdown.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (Fence().IsMatch(line)) continue;
            if (TableRule().IsMatch(line)) continue;
            line = Heading().Replace(line, "");
            line = Bullet().Replace(line, "");
            line = Quote().Replace(line, "");
            line = Image().Replace(line, "$1");
            line = Link().Replace(line, "$1");
            line = Emphasis().Replace(line, "$2");
            line = line.Replace("`", "", StringComparison.Ordinal);
            if (line.Contains('|', StringComparison.Ordinal) && line.TrimStart().StartsWith('|'))
                line = string.Join("  ", line.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
            if (output.Length > 0) output.Append('\n');
            output.Append(line);
        }
        return output.ToString();
    }

    [GeneratedRegex(@"^\s*(```|~~~)")] private static partial Regex Fence();
    [GeneratedRegex(@"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")] private static partial Regex TableRule();
    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+")] private static partial Regex Heading();
    [GeneratedRegex(@"^\s*([-*+]|\d{1,3}[.)])\s+")] private static partial Regex Bullet();
    [GeneratedRegex(@"^\s*(>\s?)+")] private static partial Regex Quote();
    [GeneratedRegex(@"!\[([^\]]*)\]\([^)]*\)")] private static partial Regex Image();
    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")] private static partial Regex Link();
    [GeneratedRegex(@"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")] private static partial Regex Emphasis();
}
