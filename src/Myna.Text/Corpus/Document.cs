namespace Myna.Text.Corpus;

/// <summary>One document read from a corpus: its text and where it came from.</summary>
/// <param name="Text">The document text as read (before cleaning).</param>
/// <param name="Source">The file it came from; for a file inside a folder, the path as found while walking the folder.</param>
/// <param name="Line">1-based line of the document's start (txt, jsonl, md) or 1-based record number (csv rows, parquet rows, html files: 1).</param>
public sealed record Document(string Text, string Source, long Line)
{
    /// <summary>
    /// True for the last document read before its file broke off (a truncated gzip, bytes that stop decoding): it may
    /// end mid-sentence, so <c>prepare</c> drops it as <c>truncated</c> rather than keep a fragment.
    /// </summary>
    public bool CutShort { get; init; }
}
