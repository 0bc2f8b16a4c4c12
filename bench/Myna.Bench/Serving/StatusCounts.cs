using System.Globalization;

namespace Myna.Bench.Serving;

/// <summary>
/// How many answers had each HTTP status. Status 0 stands for a request that got no answer at all (the connection
/// failed, or the run's hard deadline cancelled it before the headers came).
/// </summary>
public sealed class StatusCounts
{
    private readonly SortedDictionary<int, int> _counts = [];

    /// <summary>Counts the statuses of <paramref name="statuses"/>.</summary>
    public static StatusCounts Of(IEnumerable<int> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        var counts = new StatusCounts();
        foreach (int status in statuses) counts.Add(status);
        return counts;
    }

    /// <summary>Counts one answer.</summary>
    public void Add(int status) => _counts[status] = _counts.GetValueOrDefault(status) + 1;

    /// <summary>Answers with <paramref name="status"/>.</summary>
    public int this[int status] => _counts.GetValueOrDefault(status);

    /// <summary>All answers counted.</summary>
    public int Total => _counts.Values.Sum();

    /// <summary>Whether every answer had one of <paramref name="allowed"/> (true when there were none).</summary>
    public bool OnlyContains(params ReadOnlySpan<int> allowed)
    {
        foreach (int status in _counts.Keys)
        {
            if (!allowed.Contains(status)) return false;
        }
        return true;
    }

    /// <summary>Status (as text, a JSON object's key) → count, in status order.</summary>
    public IReadOnlyDictionary<string, int> ToDictionary() =>
        _counts.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => p.Value);

    /// <summary>"200×16 429×112".</summary>
    public override string ToString() => string.Join(' ', _counts.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}×{p.Value}")));
}
