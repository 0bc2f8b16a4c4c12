// Splits the corpus into training text and a held-out set per language before anything is trained on it, so that the
// default model's card can report perplexity and bits per byte per language on text the model never saw (the
// tokenizer included). Run by recipes/default-model.sh:
//   dotnet run recipes/default-model/split-heldout.cs -- OUT_FOLDER PERCENT LANG=FOLDER...
// e.g. `... -- work/split 4 en=data/corpus/en zh=data/corpus/zh zh=data/corpus/zh-modern`.
//
// A document is a blank-line-separated block of a .txt file (a chapter, a poem, a manual's section: what
// `myna prepare --split paragraphs` reads). A document is held out when the first 8 bytes of the SHA-256 of its UTF-8
// text, read as a little-endian integer, fall in the lowest PERCENT of 100: a rule that depends on the text alone, so
// identical documents go the same way and adding a source does not move the others. Writes
// OUT_FOLDER/train/LANG/FILE (the kept documents of each file, blank-line separated) and OUT_FOLDER/heldout/LANG.txt
// (that language's held-out documents in file order), and prints a line per file with its counts.

using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

if (args.Length < 3 || !int.TryParse(args[1], out int percent) || percent is < 1 or > 50)
{
    Console.Error.WriteLine("usage: dotnet run split-heldout.cs -- OUT_FOLDER PERCENT(1-50) LANG=FOLDER...");
    return 2;
}
string outFolder = args[0];
if (Directory.Exists(outFolder) && Directory.EnumerateFileSystemEntries(outFolder).Any())
{
    Console.Error.WriteLine($"output folder '{outFolder}' is not empty; remove it first.");
    return 1;
}

var utf8 = new UTF8Encoding(false, true);
var heldout = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
foreach (string spec in args[2..])
{
    int eq = spec.IndexOf('=');
    if (eq <= 0 || !Directory.Exists(spec[(eq + 1)..]))
    {
        Console.Error.WriteLine($"'{spec}' is not LANG=FOLDER with an existing folder.");
        return 1;
    }
    string lang = spec[..eq], folder = spec[(eq + 1)..];
    List<string> langHeldout = heldout.TryGetValue(lang, out var list) ? list : heldout[lang] = [];
    foreach (string file in Directory.GetFiles(folder, "*.txt").Order(StringComparer.Ordinal))
    {
        string text = File.ReadAllText(file, utf8).Replace("\r\n", "\n");
        var kept = new List<string>();
        int before = langHeldout.Count;
        long heldBytes = 0;
        foreach (string document in Regex.Split(text, @"\n[ \t]*\n+").Select(d => d.Trim('\n')).Where(d => d.Trim().Length > 0))
        {
            if (HeldOut(document, percent))
            {
                langHeldout.Add(document);
                heldBytes += utf8.GetByteCount(document);
            }
            else kept.Add(document);
        }
        string trainFile = Path.Combine(outFolder, "train", lang, Path.GetFileName(file));
        Directory.CreateDirectory(Path.GetDirectoryName(trainFile)!);
        if (File.Exists(trainFile))
        {
            Console.Error.WriteLine($"two sources of '{lang}' have a file named {Path.GetFileName(file)}; rename one.");
            return 1;
        }
        File.WriteAllText(trainFile, string.Join("\n\n", kept) + "\n", utf8);
        Console.WriteLine($"{file}: {lang}, {kept.Count} training documents, {langHeldout.Count - before} held out ({heldBytes} bytes)");
    }
}
Directory.CreateDirectory(Path.Combine(outFolder, "heldout"));
foreach ((string lang, List<string> documents) in heldout)
    File.WriteAllText(Path.Combine(outFolder, "heldout", lang + ".txt"), string.Join("\n\n", documents) + "\n", utf8);

return 0;

static bool HeldOut(string document, int percent)
{
    byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(document));
    return BinaryPrimitives.ReadUInt64LittleEndian(digest) % 100 < (ulong)percent;
}
