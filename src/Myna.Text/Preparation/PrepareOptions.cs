using Myna.Text.Cleaning;
using Myna.Text.Corpus;
using Myna.Text.Dedup;

namespace Myna.Text.Preparation;

/// <summary>Everything <see cref="CorpusPreparer"/> needs; defaults live in the records it composes and here.</summary>
public sealed record PrepareOptions
{
    /// <summary>Files and folders to read.</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>Output folder for the .jsonl shards and report.json.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Replace an existing, non-empty output folder (<c>--force</c>); off, such a folder is refused before any work.</summary>
    public bool ReplaceOutput { get; init; }

    /// <summary>How files become documents.</summary>
    public CorpusOptions Corpus { get; init; } = new();

    /// <summary>Cleaning and quality filters.</summary>
    public CleaningOptions Cleaning { get; init; } = new();

    /// <summary>Duplicate removal (near: web text is full of lightly edited copies, and they cost training time).</summary>
    public DedupMode Dedup { get; init; } = DedupMode.Near;

    /// <summary>Near-duplicate settings.</summary>
    public MinHashOptions MinHash { get; init; } = new();

    /// <summary>Replace personal data with typed placeholders (off: whether text may keep it is the owner's call).</summary>
    public bool RedactPii { get; init; }

    /// <summary>Threads for cleaning, filtering, hashing and redaction (0: one per core). Duplicate decisions and
    /// writing stay in input order, so the output does not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Start a new output file after this many bytes (128 MiB: big enough to stream well, small enough to
    /// move and inspect).</summary>
    public long ShardBytes { get; init; } = 128L << 20;
}
