namespace Myna.Text.Dedup;

/// <summary>Drops documents whose normalised text (<see cref="TextFingerprint"/>) was seen before. Keeps one 128-bit
/// hash per distinct document: 16 bytes each (a collision needs about 2^64 documents).</summary>
public sealed class ExactDeduplicator
{
    private readonly HashSet<UInt128> _seen = [];

    /// <summary>True if an equal document was seen before; otherwise remembers this one and returns false.</summary>
    public bool IsDuplicate(string text) => IsDuplicate(TextFingerprint.Hash(text));

    /// <summary>As <see cref="IsDuplicate(string)"/> for a precomputed <see cref="TextFingerprint.Hash"/> (the hash can be
    /// computed in parallel; the decisions must be taken in document order).</summary>
    public bool IsDuplicate(UInt128 fingerprint) => !_seen.Add(fingerprint);

    /// <summary>Number of distinct documents seen.</summary>
    public int Count => _seen.Count;
}
