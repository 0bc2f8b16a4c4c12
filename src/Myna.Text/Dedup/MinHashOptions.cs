namespace Myna.Text.Dedup;

/// <summary>Near-duplicate detection settings; every default here, with its reason.</summary>
public sealed record MinHashOptions
{
    /// <summary>Estimated Jaccard similarity (of shingle sets) at or above which a document is a near duplicate
    /// (0.8: the usual choice in LLM data pipelines, e.g. the GPT-3 and The Pile dedup passes ran near it).</summary>
    public double Threshold { get; init; } = 0.8;

    /// <summary>MinHash permutations: the estimate's standard error is about sqrt(J(1-J)/n), 0.035 at J = 0.8.</summary>
    public int Permutations { get; init; } = 128;

    /// <summary>Shingle length in word units (words; single characters for Chinese): 5 is the common choice, long
    /// enough that shared shingles mean shared passages, short enough that one edit changes few of them.</summary>
    public int ShingleSize { get; init; } = 5;

    /// <summary>Seed of the permutation constants: same seed, same decisions.</summary>
    public ulong Seed { get; init; } = 0x6D796E61; // "myna"
}
