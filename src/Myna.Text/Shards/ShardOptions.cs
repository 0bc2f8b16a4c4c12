namespace Myna.Text.Shards;

/// <summary><c>myna shard</c> settings; each default here, with its reason.</summary>
public sealed record ShardOptions
{
    /// <summary>Files or folders of documents (a <c>myna prepare</c> output folder).</summary>
    public required IReadOnlyList<string> Inputs { get; init; }

    /// <summary>Output folder for the shards and meta.json.</summary>
    public required string OutputDirectory { get; init; }

    /// <summary>Replace an existing, non-empty output folder (<c>--force</c>); off, such a folder is refused before any work.</summary>
    public bool ReplaceOutput { get; init; }

    /// <summary>Fraction of documents for validation (1%: enough held-out tokens for a stable loss on small corpora,
    /// little taken from training on large ones). Chosen per document by a hash of its text, so the split does not
    /// depend on input order and a document never straddles it.</summary>
    public double ValFraction { get; init; } = 0.01;

    /// <summary>Tokens per shard file before a new one starts (100M: llm.c's FineWeb shard size; 200 MB at uint16).</summary>
    public long TokensPerShard { get; init; } = 100_000_000;

    /// <summary>Threads for tokenisation (0: one per core).</summary>
    public int Threads { get; init; }
}
