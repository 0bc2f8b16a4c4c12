namespace Myna.Text.Dedup;

/// <summary>The <c>--dedup</c> choice.</summary>
public enum DedupMode
{
    /// <summary>Keep duplicates.</summary>
    None,
    /// <summary>Drop documents whose normalised text equals an earlier one's.</summary>
    Exact,
    /// <summary>Exact, then MinHash + LSH near-duplicates (estimated Jaccard at or above the threshold).</summary>
    Near,
}
