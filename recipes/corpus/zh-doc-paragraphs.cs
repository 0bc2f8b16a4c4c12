// Extracts the Chinese prose of DocBook/Publican HTML manuals (Debian documentation packages unpacked with
// dpkg-deb -x) into a corpus file: one document per section (a new document starts at each h1-h4 heading), one
// paragraph per line, documents separated by a blank line, so `myna prepare --split paragraphs` reads one document
// per section. Run by recipes/extract-corpus.sh:
//   dotnet run recipes/corpus/zh-doc-paragraphs.cs -- OUTPUT_FILE HTML_FILE...
//
// Kept: the text of headings, paragraphs (p, Publican's div.para), list items and definitions, each without the
// blocks nested in it (those are paragraphs of their own). Dropped: code and screen listings (pre), tables (package
// lists, mostly English), navigation, tables of contents, footnote markers; paragraphs that are not Chinese by
// Myna's own rule (Myna.Text.Cleaning.LanguageId: Han ≥ 30% of letters) or have fewer than MinHan Han characters
// (untranslated English, bare commands, "注意"); and a paragraph seen before in this run (notices repeated on every
// page). Files are read in the order given; the recipe sorts them. The output depends only on the HTML, so a rerun
// on the same package versions is byte-identical.
#:project ../../src/Myna.Text/Myna.Text.csproj

using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Myna.Text.Cleaning;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: dotnet run zh-doc-paragraphs.cs -- OUTPUT_FILE HTML_FILE...");
    return 2;
}

var seen = new HashSet<string>(StringComparer.Ordinal);
var documents = new List<List<string>>();
int paragraphsRead = 0, notChinese = 0, repeated = 0;
var parser = new HtmlParser();
foreach (string file in args[1..])
{
    if (!File.Exists(file))
    {
        Console.Error.WriteLine($"HTML file not found: {file} (was the package unpacked there?)");
        return 1;
    }
    IDocument page = parser.ParseDocument(File.ReadAllText(file, new UTF8Encoding(false, true)));
    foreach (IElement skipped in page.QuerySelectorAll(ManualHtml.NotProse).ToList()) skipped.Remove();
    var current = new List<string>();
    foreach (IElement unit in page.Body?.QuerySelectorAll(ManualHtml.Units) ?? Enumerable.Empty<IElement>())
    {
        bool heading = unit.LocalName is "h1" or "h2" or "h3" or "h4";
        if (heading && current.Count > 0)
        {
            documents.Add(current);
            current = [];
        }
        string text = ManualHtml.OwnText(unit);
        if (text.Length == 0) continue;
        paragraphsRead++;
        if (!ManualHtml.IsChinese(text)) { notChinese++; continue; }
        if (!seen.Add(text)) { repeated++; continue; }
        current.Add(text);
    }
    if (current.Count > 0) documents.Add(current);
}

// A section whose only Chinese line is its heading says nothing on its own.
documents.RemoveAll(d => d.Count < 2);
string output = string.Join("\n\n", documents.Select(d => string.Join('\n', d))) + "\n";
File.WriteAllText(args[0], output, new UTF8Encoding(false));
long han = output.Count(LanguageId.IsHan);
Console.Error.WriteLine(
    $"{Path.GetFileName(args[0])}: {args.Length - 1} pages, {documents.Count} documents, {documents.Sum(d => d.Count)} paragraphs kept " +
    $"of {paragraphsRead} ({notChinese} not Chinese, {repeated} repeated), {output.Length} characters ({han} Han), " +
    $"{Encoding.UTF8.GetByteCount(output)} bytes");
return 0;

/// <summary>What counts as prose in the manuals' HTML, and how its text is read.</summary>
static partial class ManualHtml
{
    /// <summary>Fewer Han characters than this and a line is a label, a command or untranslated.</summary>
    public const int MinHan = 5;

    /// <summary>Elements whose text is not prose: listings, tables, navigation, tables of contents, footnote markers, page headers and side bars.</summary>
    public const string NotProse =
        "script, style, pre, table, div.navheader, div.navfooter, div.toc, div.list-of-tables, div.list-of-figures, " +
        "div.list-of-examples, a.footnote, sup.footnote, div.docnav, ul.docnav, div.titlepage div.author, div.revhistory, " +
        "header, footer, aside, nav, noscript";

    /// <summary>Elements read as paragraphs (headings start a new document).</summary>
    public const string Units = "h1, h2, h3, h4, p, div.para, li, dd, dt";

    /// <summary>Elements that are paragraphs or hold paragraphs: their text is read on its own, not as part of the
    /// paragraph around them.</summary>
    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "p", "div", "ul", "ol", "dl", "li", "dd", "dt", "table", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
        "figure", "section", "article", "aside", "nav", "header", "footer", "hr", "br",
    };

    /// <summary>The text of <paramref name="unit"/> without the blocks nested in it, white space normalised.</summary>
    public static string OwnText(IElement unit)
    {
        var text = new StringBuilder();
        Append(unit, text, top: true);
        return Normalize(text.ToString());
    }

    private static void Append(INode node, StringBuilder text, bool top)
    {
        if (!top && node is IElement element && Blocks.Contains(element.LocalName))
        {
            // A line break or nested block separates words even where the text runs on.
            text.Append(' ');
            return;
        }
        if (node is IText t)
        {
            text.Append(t.Data);
            return;
        }
        foreach (INode child in node.ChildNodes) Append(child, text, top: false);
    }

    public static bool IsChinese(string text) => text.Count(LanguageId.IsHan) >= MinHan && LanguageId.Detect(text) == "zh";

    /// <summary>Collapses white space to single spaces, dropping it between two CJK characters (the pages wrap lines
    /// mid-sentence, where a space would not belong).</summary>
    public static string Normalize(string text)
    {
        string collapsed = Whitespace().Replace(text, m =>
        {
            bool cjkBefore = m.Index > 0 && IsCjk(text[m.Index - 1]);
            int after = m.Index + m.Length;
            bool cjkAfter = after < text.Length && IsCjk(text[after]);
            return cjkBefore && cjkAfter ? "" : " ";
        });
        return collapsed.Trim();
    }

    private static bool IsCjk(char c) =>
        c is >= '\u2E80' and <= '\u9FFF' // radicals, CJK punctuation, kana, unified ideographs
          or >= '\uF900' and <= '\uFAFF' // compatibility ideographs
          or >= '\uFF00' and <= '\uFFEF'; // full-width forms and punctuation

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
