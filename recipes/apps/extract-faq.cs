// Extracts the Debian GNU/Linux FAQ (packages debian-faq and debian-faq-zh-cn, unpacked with dpkg-deb -x) into
// faq.jsonl: one {"id","lang","chapter","question","answer"} object per headed section, English first, then
// Chinese, each in chapter and document order. Run by recipes/apps-data.sh:
//   dotnet run recipes/apps/extract-faq.cs -- UNPACKED_ROOT OUTPUT_FILE
// The output depends only on the HTML, so a rerun on the same package versions is byte-identical.
//
// AngleSharp's version is the one pinned in Directory.Packages.props (the repository uses central package
// management, which refuses a version written on the directive itself).
#:package AngleSharp

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

if (args.Length != 2)
{
    Console.Error.WriteLine("usage: dotnet run extract-faq.cs -- UNPACKED_ROOT OUTPUT_FILE");
    return 2;
}

string faqRoot = Path.Combine(args[0], "usr", "share", "doc", "debian", "FAQ");
var languages = new (string Lang, string Folder, string Suffix)[]
{
    ("en", faqRoot, ".en.html"),
    ("zh", Path.Combine(faqRoot, "zh-cn"), ".zh-cn.html"),
};

var entries = new List<FaqEntry>();
foreach (var (lang, folder, suffix) in languages)
{
    if (!Directory.Exists(folder))
    {
        Console.Error.WriteLine($"FAQ folder not found: {folder} (was the package unpacked there?)");
        return 1;
    }
    var chapters = new List<(int Number, List<FaqEntry> Entries)>();
    foreach (string file in Directory.GetFiles(folder, "*" + suffix))
    {
        if (Path.GetFileName(file).StartsWith("index.", StringComparison.Ordinal)) continue; // title page and table of contents only
        chapters.Add(FaqHtml.ReadChapter(File.ReadAllText(file, Encoding.UTF8), lang, file));
    }
    foreach (var chapter in chapters.OrderBy(c => c.Number)) entries.AddRange(chapter.Entries);
}

var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };
Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(args[1]))!);
using (var stream = new FileStream(args[1], FileMode.Create, FileAccess.Write))
{
    foreach (FaqEntry entry in entries)
    {
        using (var writer = new Utf8JsonWriter(stream, options))
        {
            writer.WriteStartObject();
            writer.WriteString("id", entry.Id);
            writer.WriteString("lang", entry.Lang);
            writer.WriteString("chapter", entry.Chapter);
            writer.WriteString("question", entry.Question);
            writer.WriteString("answer", entry.Answer);
            writer.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
    }
}

foreach (var group in entries.GroupBy(e => e.Lang))
    Console.Error.WriteLine($"{group.Key}: {group.Select(e => e.Chapter).Distinct().Count()} chapters, {group.Count()} entries");
return 0;

/// <summary>One headed section of the FAQ in one language.</summary>
sealed record FaqEntry(string Id, string Lang, string Chapter, string Question, string Answer);

/// <summary>Reads one DocBook-generated chapter page: every div.section becomes an entry whose answer is its own text
/// (nested sections are entries of their own), with the text of footnotes it cites appended.</summary>
static partial class FaqHtml
{
    public static (int Number, List<FaqEntry> Entries) ReadChapter(string html, string lang, string file)
    {
        IDocument document = new HtmlParser().ParseDocument(html);
        IElement chapterDiv = document.QuerySelector("div.chapter") ?? throw new InvalidDataException($"{file}: no div.chapter");
        IElement heading = chapterDiv.QuerySelector("div.titlepage h1") ?? throw new InvalidDataException($"{file}: no chapter heading");
        string headingText = Normalize(heading.TextContent);
        Match number = ChapterNumber().Match(headingText);
        if (!number.Success) throw new InvalidDataException($"{file}: chapter heading without a number: {headingText}");
        string chapterTitle = headingText[number.Length..].Trim();

        var footnotes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (IElement note in document.QuerySelectorAll("div.footnotes div.footnote"))
        {
            foreach (IElement marker in note.QuerySelectorAll("sup.para").ToList()) marker.Remove();
            footnotes[note.Id ?? ""] = Normalize(note.TextContent);
        }

        var entries = new List<FaqEntry>();
        foreach (IElement section in chapterDiv.QuerySelectorAll("div.section"))
        {
            IElement title = section.Children.FirstOrDefault(c => c.ClassList.Contains("titlepage")) ?? throw new InvalidDataException($"{file}: section without a title page");
            IElement sectionHeading = title.QuerySelector("h2, h3, h4, h5, h6") ?? throw new InvalidDataException($"{file}: section without a heading");
            string id = sectionHeading.QuerySelector("a[id]")?.Id ?? throw new InvalidDataException($"{file}: section heading without an anchor id");
            string question = HeadingWithoutNumber(sectionHeading);

            var text = new BlockText();
            var cited = new List<string>();
            foreach (INode child in section.ChildNodes)
                text.Add(child, cited);
            var blocks = text.Finish();
            if (blocks.Count == 0)
            {
                // A heading that only groups subsections ("Other package management tools"): its content is the list
                // of what it groups, so the entry still says something and points at them.
                foreach (IElement sub in section.Children.Where(c => c.ClassList.Contains("section")))
                    if (sub.QuerySelector("div.titlepage h2, div.titlepage h3, div.titlepage h4, div.titlepage h5, div.titlepage h6") is { } subHeading)
                        blocks.Add("- " + HeadingWithoutNumber(subHeading));
            }
            foreach (string footnoteId in cited)
                if (footnotes.TryGetValue(footnoteId, out string? note) && note.Length > 0) blocks.Add(note);
            entries.Add(new FaqEntry(id, lang, chapterTitle, question, string.Join("\n", blocks)));
        }
        return (int.Parse(number.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), entries);
    }

    /// <summary>A section heading's text without its number ("9.1.1. aptitude" → "aptitude").</summary>
    private static string HeadingWithoutNumber(IElement heading)
    {
        string text = Normalize(heading.TextContent);
        return text[SectionNumber().Match(text).Length..].Trim();
    }

    /// <summary>Collapses white space to single spaces, dropping it between two CJK characters (the Chinese pages
    /// wrap lines mid-sentence, where a space would not belong).</summary>
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

    [GeneratedRegex(@"^(?:Chapter\s+(\d+)\.|第\s*(?<1>\d+)\s*章)\s*")]
    private static partial Regex ChapterNumber();

    [GeneratedRegex(@"^\d+(?:\.\d+)*\.\s*")]
    private static partial Regex SectionNumber();
}

/// <summary>Turns a section's own nodes into text blocks: a paragraph, a list item, a table row, a definition term or
/// a preformatted block each become one block; inline markup becomes plain text.</summary>
sealed class BlockText
{
    private static readonly HashSet<string> BlockTags = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "ul", "ol", "li", "dl", "dt", "dd", "table", "thead", "tbody", "tr", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
    };

    private readonly List<string> _blocks = [];
    private readonly StringBuilder _inline = new();
    private string _pendingPrefix = "";

    public void Add(INode node, List<string> citedFootnotes)
    {
        switch (node)
        {
            case IText text:
                _inline.Append(text.Data);
                return;
            case IElement element:
                AddElement(element, citedFootnotes);
                return;
        }
    }

    public List<string> Finish()
    {
        Flush();
        return _blocks;
    }

    private void AddElement(IElement element, List<string> citedFootnotes)
    {
        string tag = element.LocalName;
        if (element.ClassList.Contains("section") || element.ClassList.Contains("titlepage") || element.ClassList.Contains("toc")
            || element.ClassList.Contains("footnotes") || element.ClassList.Contains("indexterm"))
            return; // nested sections are entries of their own; headings, tables of contents and index terms are not answer text
        if (tag == "a" && element.ClassList.Contains("footnote"))
        {
            string? target = element.GetAttribute("href");
            if (target is not null && target.StartsWith("#", StringComparison.Ordinal)) citedFootnotes.Add(target[1..]);
            return; // the [1] marker
        }
        if (tag == "br")
        {
            _inline.Append(' ');
            return;
        }
        if (tag == "pre")
        {
            Flush();
            var lines = element.TextContent.Replace("\r", "").Split('\n').Select(l => l.TrimEnd()).ToList();
            while (lines.Count > 0 && lines[0].Length == 0) lines.RemoveAt(0);
            while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
            if (lines.Count > 0) _blocks.Add(_pendingPrefix + string.Join("\n", lines));
            _pendingPrefix = "";
            return;
        }
        if (tag == "tr")
        {
            Flush();
            var cells = element.Children.Select(c => FaqHtml.Normalize(c.TextContent)).Where(c => c.Length > 0);
            string row = string.Join(" | ", cells);
            if (row.Length > 0) _blocks.Add(row);
            return;
        }
        if (!BlockTags.Contains(tag))
        {
            foreach (INode child in element.ChildNodes) Add(child, citedFootnotes);
            return;
        }
        Flush();
        if (tag == "li") _pendingPrefix = "- ";
        foreach (INode child in element.ChildNodes) Add(child, citedFootnotes);
        Flush();
    }

    private void Flush()
    {
        string text = FaqHtml.Normalize(_inline.ToString());
        _inline.Clear();
        if (text.Length == 0) return;
        _blocks.Add(_pendingPrefix + text);
        _pendingPrefix = "";
    }
}
