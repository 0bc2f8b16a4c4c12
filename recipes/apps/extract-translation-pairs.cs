// Extracts English→Chinese parallel text for the translation scenario (issue 17) into OUTPUT_FOLDER:
//   reference.jsonl   Debian Reference 2.100 (debian-reference-en / -zh-cn): paragraph pairs aligned by chapter and
//                     position; pairs whose Chinese side is the English text (left untranslated) are dropped
//   faq.jsonl         Debian FAQ 11.1 (debian-faq / -zh-cn): paragraph pairs aligned the same way
//   libreoffice.jsonl LibreOffice UI messages (libreoffice-l10n-zh-cn): msgid→msgstr of every zh_CN .mo catalog
// One {"id","en","zh"} object per line (LibreOffice lines also carry "catalog" and "context"). Run by
// recipes/apps-data.sh:
//   dotnet run recipes/apps/extract-translation-pairs.cs -- UNPACKED_ROOT OUTPUT_FOLDER
// The output depends only on the packages, so a rerun is byte-identical.
//
// AngleSharp's version is the one pinned in Directory.Packages.props (central package management refuses a version
// on the directive itself).
#:package AngleSharp

using System.Buffers.Binary;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run extract-translation-pairs.cs -- UNPACKED_ROOT OUTPUT_FOLDER");
    return 2;
}
string root = args[0], output = args[1];
Directory.CreateDirectory(output);

// Debian Reference: chNN and the preface pr01 have the same paragraph count in both languages; the appendix apa
// does not (its Chinese page adds translator credits), so it is left out rather than misaligned.
string reference = Path.Combine(root, "usr", "share", "debian-reference");
var referenceChapters = Directory.GetFiles(reference, "*.en.html").Select(f => Path.GetFileName(f)[..^".en.html".Length])
    .Where(name => name.StartsWith("ch", StringComparison.Ordinal) || name.StartsWith("pr", StringComparison.Ordinal))
    .Order(StringComparer.Ordinal).ToList();
var (referencePairs, referenceDropped) = ParallelParagraphs.Align(referenceChapters,
    name => Path.Combine(reference, name + ".en.html"), name => Path.Combine(reference, name + ".zh-cn.html"));
JsonLines.Write(Path.Combine(output, "reference.jsonl"), referencePairs);
Console.Error.WriteLine($"reference: {referenceChapters.Count} chapters, {referencePairs.Count} pairs ({referenceDropped} left untranslated, dropped)");

string faq = Path.Combine(root, "usr", "share", "doc", "debian", "FAQ");
var faqChapters = Directory.GetFiles(faq, "*.en.html").Select(f => Path.GetFileName(f)[..^".en.html".Length])
    .Where(name => name != "index").Order(StringComparer.Ordinal).ToList();
var (faqPairs, faqDropped) = ParallelParagraphs.Align(faqChapters,
    name => Path.Combine(faq, name + ".en.html"), name => Path.Combine(faq, "zh-cn", name + ".zh-cn.html"));
JsonLines.Write(Path.Combine(output, "faq.jsonl"), faqPairs);
Console.Error.WriteLine($"faq: {faqChapters.Count} chapters, {faqPairs.Count} pairs ({faqDropped} left untranslated, dropped)");

string catalogs = Path.Combine(root, "usr", "lib", "libreoffice", "program", "resource", "zh_CN", "LC_MESSAGES");
var messages = new List<Dictionary<string, string>>();
var catalogFiles = Directory.GetFiles(catalogs, "*.mo").Order(StringComparer.Ordinal).ToList();
foreach (string file in catalogFiles)
{
    string catalog = Path.GetFileNameWithoutExtension(file);
    int n = 0;
    foreach (var (context, source, target) in MoCatalog.Read(File.ReadAllBytes(file), file))
    {
        if (source.Length == 0 || target.Length == 0) continue; // the header entry; untranslated messages
        messages.Add(new() { ["id"] = $"{catalog}/{n++}", ["catalog"] = catalog, ["context"] = context ?? "", ["en"] = source, ["zh"] = target });
    }
}
JsonLines.Write(Path.Combine(output, "libreoffice.jsonl"), messages);
Console.Error.WriteLine($"libreoffice: {catalogFiles.Count} catalogs, {messages.Count} messages");
return 0;

/// <summary>Pairs the paragraphs (p elements of the page body, outside navigation, tables of contents and captions) of
/// an English page and its Chinese translation by position.</summary>
static partial class ParallelParagraphs
{
    public static (List<Dictionary<string, string>> Pairs, int Untranslated) Align(
        IEnumerable<string> chapters, Func<string, string> englishPath, Func<string, string> chinesePath)
    {
        var pairs = new List<Dictionary<string, string>>();
        int untranslated = 0;
        foreach (string chapter in chapters)
        {
            List<string> en = Paragraphs(englishPath(chapter)), zh = Paragraphs(chinesePath(chapter));
            if (en.Count != zh.Count)
                throw new InvalidDataException($"{chapter}: {en.Count} English and {zh.Count} Chinese paragraphs; position alignment would be wrong");
            for (int i = 0; i < en.Count; i++)
            {
                if (en[i].Length == 0 && zh[i].Length == 0) continue;
                if (zh[i] == en[i]) { untranslated++; continue; }
                pairs.Add(new() { ["id"] = $"{chapter}/{i}", ["en"] = en[i], ["zh"] = zh[i] });
            }
        }
        return (pairs, untranslated);
    }

    private static List<string> Paragraphs(string path)
    {
        IDocument document = new HtmlParser().ParseDocument(File.ReadAllText(path, Encoding.UTF8));
        return document.QuerySelectorAll("p")
            .Where(p => !p.ClassList.Contains("title") && p.Closest("div.toc, div.list-of-tables, div.navheader, div.navfooter") is null)
            .Select(p => Normalize(p.TextContent)).ToList();
    }

    /// <summary>Collapses white space to single spaces, dropping it between two CJK characters (the Chinese pages wrap
    /// lines mid-sentence). The same rule as extract-faq.cs.</summary>
    private static string Normalize(string text) => Whitespace().Replace(text, m =>
    {
        bool before = m.Index > 0 && IsCjk(text[m.Index - 1]);
        int after = m.Index + m.Length;
        return before && after < text.Length && IsCjk(text[after]) ? "" : " ";
    }).Trim();

    private static bool IsCjk(char c) => c is >= '\u2E80' and <= '\u9FFF' or >= '\uF900' and <= '\uFAFF' or >= '\uFF00' and <= '\uFFEF';

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

/// <summary>Reads a GNU gettext .mo catalog: (msgctxt, msgid, msgstr) with the context split off (it precedes the
/// msgid after an EOT byte) and only the singular form of plural messages.</summary>
static class MoCatalog
{
    public static IEnumerable<(string? Context, string Source, string Target)> Read(byte[] mo, string file)
    {
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(mo);
        bool little = magic == 0x950412de;
        if (!little && BinaryPrimitives.ReadUInt32BigEndian(mo) != 0x950412de)
            throw new InvalidDataException($"{file}: not a .mo catalog");
        uint At(int offset) => little ? BinaryPrimitives.ReadUInt32LittleEndian(mo.AsSpan(offset)) : BinaryPrimitives.ReadUInt32BigEndian(mo.AsSpan(offset));
        int count = (int)At(8), sources = (int)At(12), targets = (int)At(16);
        string Text(int table, int i) => Encoding.UTF8.GetString(mo, (int)At(table + 8 * i + 4), (int)At(table + 8 * i));
        for (int i = 0; i < count; i++)
        {
            string source = Text(sources, i), target = Text(targets, i);
            string? context = null;
            int eot = source.IndexOf('\u0004');
            if (eot >= 0) (context, source) = (source[..eot], source[(eot + 1)..]);
            yield return (context, source.Split('\0')[0], target.Split('\0')[0]);
        }
    }
}

static class JsonLines
{
    public static void Write(string path, IEnumerable<Dictionary<string, string>> rows)
    {
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write);
        foreach (var row in rows)
        {
            using (var writer = new Utf8JsonWriter(stream, options))
            {
                writer.WriteStartObject();
                foreach (var (key, value) in row) writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            stream.WriteByte((byte)'\n');
        }
    }
}
