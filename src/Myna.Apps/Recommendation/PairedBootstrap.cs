namespace Myna.Apps.Recommendation;

/// <summary>A mean difference between two systems on the same users with its percentile bootstrap interval.</summary>
/// <param name="MeanDifference">Mean over users of (a − b).</param>
/// <param name="Low">2.5th percentile of the resampled means.</param>
/// <param name="High">97.5th percentile of the resampled means.</param>
/// <param name="Resamples">Bootstrap resamples drawn.</param>
public sealed record PairedBootstrap(double MeanDifference, double Low, double High, int Resamples)
{
    /// <summary>Whether the interval excludes zero (the difference is significant at 5%).</summary>
    public bool ExcludesZero => Low > 0 || High < 0;

    /// <summary>Resamples the users with replacement <paramref name="resamples"/> times (seeded) and takes the mean paired
    /// difference of each resample; the interval is the 2.5th and 97.5th percentiles.</summary>
    /// <exception cref="ArgumentException">The arrays differ in length or are empty.</exception>
    public static PairedBootstrap Compute(IReadOnlyList<double> a, IReadOnlyList<double> b, int resamples, int seed)
    {
        if (a.Count != b.Count || a.Count == 0) throw new ArgumentException("a paired bootstrap needs two non-empty lists of the same users.");
        int n = a.Count;
        var difference = new double[n];
        for (int i = 0; i < n; i++) difference[i] = a[i] - b[i];
        var random = new Random(seed);
        var means = new double[resamples];
        for (int r = 0; r < resamples; r++)
        {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += difference[random.Next(n)];
            means[r] = sum / n;
        }
        Array.Sort(means);
        return new PairedBootstrap(difference.Average(), Percentile(means, 0.025), Percentile(means, 0.975), resamples);
    }

    /// <summary>Linear interpolation between order statistics (NumPy's default).</summary>
    private static double Percentile(double[] sorted, double q)
    {
        double position = q * (sorted.Length - 1);
        int below = (int)Math.Floor(position);
        int above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }
}
