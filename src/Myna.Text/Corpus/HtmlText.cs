using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace Myna.Text.Corpus;

/// <summary>Extracts the visible text of an HTML page with AngleSharp: no script, style, template or head content;
/// block elements start new lines so that paragraphs do not run together.</summary>
public static class HtmlText
{
    private static readonly HashSet<string> Invisible = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "style", "noscript", "template", "head", "svg", "iframe", "object", "canvas",
    };

    private static readonly HashSet<string> Block = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section", "article",
        "header", "footer", "nav", "aside", "main", "blockquote", "pre", "hr", "dd", "dt", "dl", "figcaption", "title",
    };

    /// <summary>Returns the visible text of <paramref name="html"/>.</summary>
    public static string ToPlainText(string html)
    {
        var parser = new HtmlParser();
        using IDocument document = parser.ParseDocument(html);
        var output = new StringBuilder(html.Length / 2);
        INode root = (INode?)document.Body ?? document;
        Walk(root, output);
        return output.ToString().Trim();
    }

    private static void Walk(INode node, StringBuilder output)
    {
        foreach (INode child in node.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    output.Append(text.Data);
                    break;
                case IElement element when Invisible.Contains(element.LocalName) || element.HasAttribute("hidden"):
                    break;
                case IElement element:
                    bool block = Block.Contains(element.LocalName);
                    if (block) output.Append('\n');
                    else if (element.LocalName is "td" or "th") output.Append(' ');
                    Walk(element, output);
                    if (block) output.Append('\n');
                    break;
            }
        }
    }
}
