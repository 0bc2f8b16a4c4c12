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
}
