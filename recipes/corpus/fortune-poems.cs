// Turns a fortune file of poems from Debian's fortunes-zh (tang300: 唐诗三百首, song100: 宋词一百首) into one paragraph
// per poem: terminal colour codes removed, blank lines and trailing spaces dropped, poems separated by a blank line.
// Run by recipes/extract-corpus.sh:
//   dotnet run recipes/corpus/fortune-poems.cs -- FORTUNE_FILE OUTPUT_FILE
// The output depends only on the input, so a rerun on the same package version is byte-identical.

using System.Text;
using System.Text.RegularExpressions;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run fortune-poems.cs -- FORTUNE_FILE OUTPUT_FILE");
    return 2;
}
if (!File.Exists(args[0]))
{
    Console.Error.WriteLine($"fortune file not found: {args[0]} (was fortunes-zh unpacked there?)");
    return 1;
}

// Fortune files may end lines with CR LF; read them as text with either ending.
string text = File.ReadAllText(args[0], new UTF8Encoding(false, true)).Replace("\r\n", "\n").Replace('\r', '\n');
// The poems are coloured for a terminal (ESC [ ... m); the colours carry nothing for a corpus.
text = Regex.Replace(text, @"\x1b\[[0-9;]*m", "");
var poems = new List<string>();
foreach (string entry in text.Split("\n%\n"))
{
    IEnumerable<string> lines = LineBreaks.Split(entry.Trim('\n'))
        .Where(line => line.Trim().Length > 0)
        .Select(line => line.TrimEnd());
    string poem = string.Join('\n', lines);
    if (poem.Length > 0) poems.Add(poem);
}

File.WriteAllText(args[1], string.Join("\n\n", poems) + "\n", new UTF8Encoding(false));
Console.Error.WriteLine($"{Path.GetFileName(args[0])}: {poems.Count} poems");
return 0;

/// <summary>Line breaks as Unicode counts them (LF, CR, CR LF, VT, FF, the information separators, NEL, LS, PS), so
/// that a stray separator inside a poem ends a line instead of hiding inside one.</summary>
static class LineBreaks
{
    private static readonly Regex Break = new(@"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]", RegexOptions.CultureInvariant);

    public static string[] Split(string text)
    {
        string[] parts = Break.Split(text);
        // A final break ends the last line rather than starting an empty one.
        return parts.Length > 0 && parts[^1].Length == 0 ? parts[..^1] : parts;
    }
}
