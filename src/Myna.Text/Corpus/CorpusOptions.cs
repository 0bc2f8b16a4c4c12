namespace Myna.Text.Corpus;

/// <summary>How corpus files are turned into documents. Each default is stated once, here.</summary>
public sealed record CorpusOptions
{
    /// <summary>Split .txt and .md files into blank-line-separated blocks instead of one document per file
    /// (off: a book or article is one document unless the user says otherwise).</summary>
    public bool SplitParagraphs { get; init; }

    /// <summary>Field of a .jsonl object, column of a .csv/.tsv file or column of a .parquet file that holds the text
    /// ("text" is what Hugging Face datasets and most dumps use).</summary>
    public string TextField { get; init; } = "text";

    /// <summary>
    /// The longest line, record or page read into memory, in characters; longer ones are read through without being
    /// kept and reported as skipped. 16 Mi characters: far above any document a quality filter keeps (prepare's
    /// --max-chars defaults to 1,000,000 and raises this to four times its value), far below what a hostile line
    /// would otherwise take.
    /// </summary>
    public int MaxDocumentChars { get; init; } = 16 << 20;
}
