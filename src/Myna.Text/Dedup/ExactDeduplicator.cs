namespace Myna.Text.Dedup;

/// <summary>Drops documents whose normalised text (<see cref="TextFingerprint"/>) was seen before. Keeps one 128-bit
/// hash per distinct document: 16 bytes each (a collision needs about 2^64 documents).</summary>
public sealed class ExactDeduplicator
{
    private readonly HashSet<UInt128> _seen = [];

    /// <summary>True if an equal document was seen before; otherwise remembers this one and returns false.</summary>
    public bool IsDuplicate(string text) => !_seen.Add(TextFingerprint.Hash(text));

    /// <summary>Number of distinct documents seen.</summary>
    public int Count => _seen.Count;
}
