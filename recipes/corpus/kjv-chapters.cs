// Turns the King James Version as printed by Debian's `bible` program (package bible-kjv, one "Ge1:1 text" line per
// verse) into one paragraph per chapter: verse references removed, verses of a chapter joined by a space, chapters
// separated by a blank line. Run by recipes/extract-corpus.sh:
//   bible -p DATA_FOLDER -f "gen1:1-rev22:21" | dotnet run recipes/corpus/kjv-chapters.cs -- OUTPUT_FILE
// Lines that are not verses (none are printed today) are skipped. The output depends only on the input, so a rerun on
// the same package version is byte-identical.

using System.Text;
using System.Text.RegularExpressions;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: bible -f \"gen1:1-rev22:21\" | dotnet run kjv-chapters.cs -- OUTPUT_FILE");
    return 2;
}

// "Ge1:1 In the beginning ...": book and chapter, verse number, text.
var verseLine = new Regex(@"^(\S+?\d+):(\d+) (.*)$", RegexOptions.CultureInvariant);
var chapters = new List<string>();
var verses = new List<string>();
string? chapter = null;
using var input = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false, true));
while (input.ReadLine() is string line)
{
    Match m = verseLine.Match(line);
    if (!m.Success) continue;
    if (m.Groups[1].Value != chapter && verses.Count > 0)
    {
        chapters.Add(string.Join(' ', verses));
        verses.Clear();
    }
    chapter = m.Groups[1].Value;
    verses.Add(m.Groups[3].Value.Trim());
}
if (verses.Count > 0) chapters.Add(string.Join(' ', verses));
if (chapters.Count == 0)
{
    Console.Error.WriteLine("no verse lines on standard input (expected `bible -f` output such as \"Ge1:1 In the beginning ...\").");
    return 1;
}

File.WriteAllText(args[0], string.Join("\n\n", chapters) + "\n", new UTF8Encoding(false));
Console.Error.WriteLine($"kjv: {chapters.Count} chapters");
return 0;
