namespace Myna.Apps.Support;

/// <summary>One FAQ section in one language: a line of <c>faq.jsonl</c>. English and Chinese versions share <see cref="Id"/>.</summary>
/// <param name="Id">The section's anchor id in the FAQ's HTML (<c>howtocurrent</c>, <c>s3.1</c>): what the assistant reports as its source.</param>
/// <param name="Lang"><c>en</c> or <c>zh</c>.</param>
/// <param name="Chapter">The chapter's title.</param>
/// <param name="Question">The section heading, read as the question the section answers.</param>
/// <param name="Answer">The section's text.</param>
public sealed record FaqEntry(string Id, string Lang, string Chapter, string Question, string Answer);
