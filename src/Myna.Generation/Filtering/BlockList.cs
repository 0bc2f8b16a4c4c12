namespace Myna.Generation.Filtering;

/// <summary>Reads a block list (<see cref="GenerationOptions.BlockedPhrases"/>): one phrase per line.</summary>
public static class BlockList
{
    /// <summary>
    /// The phrases of a block-list file: one per line, surrounding whitespace trimmed; blank lines and lines starting
    /// with <c>#</c> are skipped, and repeats (ignoring case) are kept once.
    /// </summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static IReadOnlyList<string> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return Parse(File.ReadAllLines(path));
    }

    /// <summary>The phrases of block-list lines (see <see cref="Read"/>).</summary>
    public static IReadOnlyList<string> Parse(IEnumerable<string> lines) =>
        lines.Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
}
