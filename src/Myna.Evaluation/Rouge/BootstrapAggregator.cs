namespace Myna.Evaluation.Rouge;

/// <summary>The low, mid and high bounds of a bootstrap interval (rouge-score's <c>AggregateScore</c>).</summary>
public readonly record struct RougeInterval(RougeScore Low, RougeScore Mid, RougeScore High);

/// <summary>
/// Confidence intervals on the mean score by bootstrap resampling, as rouge-score's <c>BootstrapAggregator</c>:
/// <see cref="Samples"/> times, draw as many per-line scores as there are lines, with replacement, and take
/// their mean; the bounds are NumPy's linear-interpolation percentiles of those means (2.5, 50 and 97.5 for a 95%
/// interval). Types are resampled one after another from one generator, so that with the same seed the draws
/// match rouge-score's after <c>np.random.seed(seed)</c>.
/// </summary>
public sealed class BootstrapAggregator
{
    /// <summary>rouge-score's default number of resamples.</summary>
    public const int DefaultSamples = 1000;

    /// <summary>rouge-score's default confidence level.</summary>
    public const double DefaultConfidence = 0.95;

    /// <summary>An aggregator; <paramref name="seed"/> plays the role of <c>np.random.seed</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No samples, or a confidence outside [0, 1].</exception>
    public BootstrapAggregator(int samples = DefaultSamples, double confidence = DefaultConfidence, uint seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        if (confidence is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(confidence), "confidence must be in [0, 1]");
        Samples = samples;
        Confidence = confidence;
        Seed = seed;
    }

    /// <summary>Bootstrap resamples per type.</summary>
    public int Samples { get; }

    /// <summary>The confidence level of the interval.</summary>
    public double Confidence { get; }

    /// <summary>The generator's seed.</summary>
    public uint Seed { get; }

    /// <summary>The interval of every type in <paramref name="types"/> order, from per-line scores.</summary>
    /// <exception cref="ArgumentException">No lines.</exception>
    public IReadOnlyDictionary<string, RougeInterval> Aggregate(
        IReadOnlyList<string> types, IReadOnlyList<IReadOnlyDictionary<string, RougeScore>> perLine)
    {
        if (perLine.Count == 0) throw new ArgumentException("there are no scores to aggregate", nameof(perLine));
        var random = new NumpyRandomState(Seed);
        var result = new Dictionary<string, RougeInterval>(types.Count);
        foreach (string type in types)
        {
            RougeScore[] scores = [.. perLine.Select(line => line[type])];
            result[type] = Resample(scores, random);
        }
        return result;
    }

    private RougeInterval Resample(RougeScore[] scores, NumpyRandomState random)
    {
        int n = scores.Length;
        var means = new double[3][];
        for (int m = 0; m < 3; m++) means[m] = new double[Samples];
        var index = new long[n];
        for (int s = 0; s < Samples; s++)
        {
            // 1. One resample of n line indices (np.random.choice(np.arange(n), size=n)).
            for (int i = 0; i < n; i++) index[i] = random.NextBelow(n);
            // 2. Its mean per measure: NumPy adds the rows in order along axis 0, then divides by n.
            double p = 0, r = 0, f = 0;
            foreach (long i in index)
            {
                p += scores[i].Precision;
                r += scores[i].Recall;
                f += scores[i].FMeasure;
            }
            means[0][s] = p / n;
            means[1][s] = r / n;
            means[2][s] = f / n;
        }

        // 3. Percentiles of the means, q computed as rouge-score does: 100 * [(1-c)/2, 0.5, 1-(1-c)/2].
        double delta = (1 - Confidence) / 2;
        double[] q = [100 * delta, 100 * 0.5, 100 * (1 - delta)];
        var bounds = new RougeScore[3];
        foreach (double[] column in means) Array.Sort(column);
        for (int b = 0; b < 3; b++)
        {
            bounds[b] = new RougeScore(
                Percentile(means[0], q[b]), Percentile(means[1], q[b]), Percentile(means[2], q[b]));
        }
        return new RougeInterval(bounds[0], bounds[1], bounds[2]);
    }

    /// <summary>NumPy's <c>percentile(a, q)</c> with the default linear method on sorted values, including its
    /// interpolation formula (from the lower neighbour below t = 0.5, from the upper one from 0.5 on).</summary>
    internal static double Percentile(double[] sorted, double q)
    {
        int n = sorted.Length;
        double quantile = q / 100;
        double virtualIndex = (n - 1) * quantile;
        double floor = Math.Floor(virtualIndex);
        int previous = (int)floor;
        int next = previous + 1;
        if (virtualIndex >= n - 1)
        {
            previous = n - 1;
            next = n - 1;
        }
        else if (virtualIndex < 0)
        {
            previous = 0;
            next = 0;
        }
        double gamma = virtualIndex - floor;
        if (virtualIndex >= n - 1 || virtualIndex < 0) gamma = virtualIndex - previous;
        double a = sorted[previous], b = sorted[next];
        double diff = b - a;
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
    }
}
