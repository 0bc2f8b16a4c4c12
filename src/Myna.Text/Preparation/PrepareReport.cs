using System.Text.Json.Serialization;

namespace Myna.Text.Preparation;

/// <summary>What happened to every document of a <c>myna prepare</c> run; written as report.json.
/// Invariant: <see cref="DocumentsRead"/> = <see cref="DocumentsKept"/> + the sum of <see cref="Dropped"/>.</summary>
public sealed class PrepareReport
{
    /// <summary>Inputs as given.</summary>
    [JsonPropertyName("inputs")] public List<string> Inputs { get; init; } = [];

    /// <summary>Files read, whole or up to the point where they broke off (<see cref="FilesCutShort"/>); with
    /// <see cref="FilesSkipped"/> they account for every file found.</summary>
    [JsonPropertyName("files_read")] public int FilesRead { get; set; }

    /// <summary>Bytes read from disk (compressed bytes for .gz).</summary>
    [JsonPropertyName("input_file_bytes")] public long InputFileBytes { get; set; }

    /// <summary>Documents produced by the readers.</summary>
    [JsonPropertyName("documents_read")] public long DocumentsRead { get; set; }

    /// <summary>Documents written.</summary>
    [JsonPropertyName("documents_kept")] public long DocumentsKept { get; set; }

    /// <summary>Dropped documents per reason (snake_case names; every reason present, zero or not).</summary>
    [JsonPropertyName("dropped")] public SortedDictionary<string, long> Dropped { get; init; } = [];

    /// <summary>Exact and near duplicates (also counted in <see cref="Dropped"/>).</summary>
    [JsonPropertyName("duplicates")] public SortedDictionary<string, long> Duplicates { get; init; } = [];

    /// <summary>Placeholders inserted per PII type (EMAIL, PHONE, ...).</summary>
    [JsonPropertyName("redactions")] public SortedDictionary<string, long> Redactions { get; init; } = [];

    /// <summary>Kept documents per detected language (en, zh, other).</summary>
    [JsonPropertyName("languages")] public SortedDictionary<string, long> Languages { get; init; } = [];

    /// <summary>UTF-8 bytes of the documents as read.</summary>
    [JsonPropertyName("bytes_in")] public long BytesIn { get; set; }

    /// <summary>UTF-8 bytes of the kept documents' text as written.</summary>
    [JsonPropertyName("bytes_out")] public long BytesOut { get; set; }

    /// <summary>Distinct boilerplate lines found by the pre-pass.</summary>
    [JsonPropertyName("boilerplate_lines")] public int BoilerplateLines { get; set; }

    /// <summary>Boilerplate line occurrences removed from documents.</summary>
    [JsonPropertyName("boilerplate_lines_removed")] public long BoilerplateLinesRemoved { get; set; }

    /// <summary>Files skipped whole: unsupported, binary, not text, or corrupt from the start.</summary>
    [JsonPropertyName("files_skipped")] public long FilesSkipped { get; set; }

    /// <summary>Files that broke off part-way (a truncated gzip, bytes that stop decoding): their documents up to the
    /// break were read, the last of them dropped as <c>truncated</c>, the rest of the file is lost (listed in <see cref="Skipped"/>).</summary>
    [JsonPropertyName("files_cut_short")] public long FilesCutShort { get; set; }

    /// <summary>Records (a JSON line, a CSV row) skipped before they became documents.</summary>
    [JsonPropertyName("records_skipped")] public long RecordsSkipped { get; set; }

    /// <summary>The first skips, with reasons (at most <see cref="CorpusPreparer.MaxListedSkips"/>).</summary>
    [JsonPropertyName("skipped")] public List<SkipEntry> Skipped { get; init; } = [];

    /// <summary>Output files, relative to the output folder.</summary>
    [JsonPropertyName("output_files")] public List<string> OutputFiles { get; init; } = [];

    /// <summary>Wall-clock seconds.</summary>
    [JsonPropertyName("seconds")] public double Seconds { get; set; }

    /// <summary>The settings used.</summary>
    [JsonPropertyName("options")] public Dictionary<string, object> Options { get; init; } = [];

    /// <summary>Sum of every drop reason.</summary>
    [JsonIgnore] public long DocumentsDropped => Dropped.Values.Sum();

    /// <summary>One skipped file or record.</summary>
    public sealed record SkipEntry(
        [property: JsonPropertyName("source")] string Source,
        [property: JsonPropertyName("line")] long Line,
        [property: JsonPropertyName("reason")] string Reason);
}
