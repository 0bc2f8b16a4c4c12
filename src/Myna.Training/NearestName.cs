namespace Myna.Training;

/// <summary>
/// The valid name closest to a mistyped one, for "did you mean" hints: optimal-string-alignment distance (insertions,
/// deletions, substitutions and swaps of neighbours each cost one), so <c>tarin</c> finds <c>train</c> and
/// <c>--lrr</c> finds <c>--lr</c>.
/// </summary>
public static class NearestName
{
    /// <summary>
    /// The candidate nearest to <paramref name="typed"/> (case-insensitive), or null when none is close enough to be a
    /// likely typo: at most a third of the typed length away, and at least one edit allowed.
    /// </summary>
    public static string? Find(string typed, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(candidates);
        // A third of the letters may be wrong: "batch_sise" (1 of 10) is a typo, "out" for "lr" is not.
        int allowed = Math.Max(1, typed.Length / 3);
        string? best = null;
        int bestDistance = int.MaxValue;
        foreach (string candidate in candidates)
        {
            int distance = Distance(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>Optimal string alignment distance between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        // Three rows of the (|a|+1) × (|b|+1) table: the swap rule looks two rows back.
        var before = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++) previous[j] = j;
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) value = Math.Min(value, before[j - 2] + 1);
                current[j] = value;
            }
            (before, previous, current) = (previous, current, before);
        }
        return previous[b.Length];
    }
}
