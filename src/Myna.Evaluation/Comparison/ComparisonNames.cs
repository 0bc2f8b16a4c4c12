namespace Myna.Evaluation.Comparison;

/// <summary>
/// Names for the models of a comparison: for each directory the fewest trailing path segments that no other directory
/// shares, so <c>runs/a/best</c> and <c>runs/b/best</c> become <c>a/best</c> and <c>b/best</c> while
/// <c>models/myna-default</c> stays <c>myna-default</c>.
/// </summary>
public static class ComparisonNames
{
    /// <summary>One name per directory, in order; the same directory given twice gets " (2)", " (3)" after its name.</summary>
    public static IReadOnlyList<string> Distinguish(IReadOnlyList<string> directories)
    {
        ArgumentNullException.ThrowIfNull(directories);
        string[][] segments = directories.Select(Segments).ToArray();
        var names = new string[segments.Length];
        for (int i = 0; i < segments.Length; i++)
        {
            int count = 1;
            while (count < segments[i].Length && segments.Where((_, j) => j != i && !SameFolder(segments[i], segments[j])).Any(other => Suffix(other, count) == Suffix(segments[i], count)))
                count++;
            names[i] = Suffix(segments[i], count);
        }
        // The same folder twice: name it by its order among its repeats.
        for (int i = 0; i < names.Length; i++)
        {
            int repeat = Enumerable.Range(0, i).Count(j => SameFolder(segments[i], segments[j]));
            if (repeat > 0) names[i] += $" ({repeat + 1})";
        }
        return names;
    }

    /// <summary>The folder names of a path, from the root, after resolving it (so "./best" and "best" agree).</summary>
    private static string[] Segments(string directory) =>
        Path.GetFullPath(directory).Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);

    private static string Suffix(string[] segments, int count) => string.Join('/', segments[Math.Max(0, segments.Length - count)..]);

    private static bool SameFolder(string[] a, string[] b) => a.SequenceEqual(b, StringComparer.Ordinal);
}
