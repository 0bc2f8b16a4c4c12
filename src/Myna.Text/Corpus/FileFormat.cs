namespace Myna.Text.Corpus;

/// <summary>The corpus file formats Myna reads, chosen by file extension (a trailing <c>.gz</c> is removed first).</summary>
public enum FileFormat
{
    /// <summary>Not a format Myna reads.</summary>
    Unknown,
    /// <summary>Plain text: .txt, .text.</summary>
    PlainText,
    /// <summary>One JSON object per line: .jsonl, .ndjson.</summary>
    JsonLines,
    /// <summary>Comma-separated values with a header row (RFC 4180): .csv.</summary>
    Csv,
    /// <summary>Tab-separated values with a header row: .tsv.</summary>
    Tsv,
    /// <summary>Markdown: .md, .markdown.</summary>
    Markdown,
    /// <summary>HTML: .html, .htm, .xhtml.</summary>
    Html,
    /// <summary>Apache Parquet: .parquet.</summary>
    Parquet,
}

/// <summary>Maps file names to <see cref="FileFormat"/>.</summary>
public static class FileFormats
{
    /// <summary>The extensions <see cref="Detect"/> knows, for messages.</summary>
    public const string SupportedExtensions = ".txt, .md, .jsonl, .csv, .tsv, .html, .parquet";

    /// <summary>Returns the format of <paramref name="path"/> and whether it is gzip-compressed.</summary>
    public static (FileFormat Format, bool Gzip) Detect(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        bool gzip = name.EndsWith(".gz", StringComparison.Ordinal);
        if (gzip) name = name[..^3];
        FileFormat format = Path.GetExtension(name) switch
        {
            ".txt" or ".text" => FileFormat.PlainText,
            ".jsonl" or ".ndjson" => FileFormat.JsonLines,
            ".csv" => FileFormat.Csv,
            ".tsv" => FileFormat.Tsv,
            ".md" or ".markdown" => FileFormat.Markdown,
            ".html" or ".htm" or ".xhtml" => FileFormat.Html,
            ".parquet" => FileFormat.Parquet,
            _ => FileFormat.Unknown,
        };
        return (format, gzip);
    }
}
