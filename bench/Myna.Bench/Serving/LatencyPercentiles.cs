using System.Text.Json.Serialization;

namespace Myna.Bench.Serving;

/// <summary>Percentiles of a latency in milliseconds.</summary>
public sealed record LatencyPercentiles(
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p95")] double P95,
    [property: JsonPropertyName("p99")] double P99)
{
    /// <summary>The percentiles of <paramref name="milliseconds"/>; null when there are none.</summary>
    public static LatencyPercentiles? Of(IEnumerable<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        double[] sorted = [.. milliseconds.Order()];
        if (sorted.Length == 0) return null;
        return new LatencyPercentiles(Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99));
    }

    /// <summary>
    /// The <paramref name="percent"/>-th percentile of ascending <paramref name="sorted"/> values, interpolated
    /// linearly between the two nearest ranks (NumPy's default method, as vLLM's and llama.cpp's serving benchmarks use).
    /// </summary>
    /// <exception cref="ArgumentException">No values, or a percent outside 0–100.</exception>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0) throw new ArgumentException("a percentile of no values is undefined.", nameof(sorted));
        if (percent is < 0 or > 100 || double.IsNaN(percent)) throw new ArgumentException($"percent must be 0 to 100; it is {percent}.", nameof(percent));
        double rank = percent / 100 * (sorted.Count - 1);
        int below = (int)Math.Floor(rank);
        int above = Math.Min(below + 1, sorted.Count - 1);
        return sorted[below] + (rank - below) * (sorted[above] - sorted[below]);
    }
}
