namespace Myna.Evaluation.Significance;

/// <summary>
/// Paired bootstrap resampling (Koehn 2004) exactly as sacreBLEU 2.6.0's <c>--paired-bs</c>
/// (<c>significance.py</c>: <c>PairedTest</c> with <c>_paired_bs_test</c>):
/// <list type="number">
/// <item>draw the resamples once: <see cref="PairedBootstrapOptions.Resamples"/> rows of n segment indices, with
/// replacement, from <c>np.random.default_rng(seed)</c> (<see cref="NumpyGenerator"/>); the baseline and every system
/// use the same rows;</item>
/// <item>score every resample from the summed segment statistics (float32 sums, as sacreBLEU's NumPy arrays);</item>
/// <item>mean and 95% interval of each system's resample scores: sorted, the bounds are the (n/40)-th value from
/// each end, the interval is half their distance (<c>estimate_ci</c>);</item>
/// <item>p-value: with d the absolute differences between system and baseline per resample, count the resamples
/// where d minus its mean exceeds the observed absolute difference, c; p = (c + 1) / (resamples + 1).</item>
/// </list>
/// </summary>
/// <remarks>
/// Two consequences of sacreBLEU's formula, kept because they are sacreBLEU's: a system identical to the baseline
/// gets p = 1 / (resamples + 1) (every centred difference is 0, never above the observed 0), and p is never below that.
/// Resample scores follow NumPy 1.x type promotion (checked bit for bit against sacreBLEU on NumPy 1.24). Under
/// NumPy 2's promotion rules (NEP 50) sacreBLEU computes a chrF resample score in float32 throughout, and BLEU's
/// precisions in float32, which moves resample scores by about 1e-5 on the 0-100 scale: printed means and intervals
/// can then differ in the last printed digit at a rounding boundary, and a p-value only if a resampled difference lies
/// within that distance of the observed one. A seed of 0 is used as given here; sacreBLEU reads it as "no seed".
/// </remarks>
public sealed class PairedBootstrap
{
    /// <summary>A test with the given options (sacreBLEU's defaults when null).</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public PairedBootstrap(PairedBootstrapOptions? options = null)
    {
        Options = (options ?? new PairedBootstrapOptions()).Validate();
    }

    /// <summary>The options in force.</summary>
    public PairedBootstrapOptions Options { get; }

    /// <summary>
    /// Compares every system with the baseline on every metric. All outputs and reference streams are aligned
    /// segment by segment.
    /// </summary>
    /// <exception cref="ArgumentException">No metric, no reference stream, no segments, or outputs or references of
    /// different lengths.</exception>
    public IReadOnlyList<PairedMetricResult> Compare(
        (string Name, IReadOnlyList<string> Hypotheses) baseline,
        IReadOnlyList<(string Name, IReadOnlyList<string> Hypotheses)> systems,
        IReadOnlyList<IReadOnlyList<string>> referenceStreams,
        IReadOnlyList<ICorpusMetric> metrics)
    {
        if (metrics.Count == 0) throw new ArgumentException("at least one metric is needed", nameof(metrics));
        int n = baseline.Hypotheses.Count;
        if (n == 0) throw new ArgumentException("there are no segments to compare", nameof(baseline));
        foreach ((string name, IReadOnlyList<string> hyps) in systems)
        {
            if (hyps.Count != n)
                throw new ArgumentException($"system '{name}' has {hyps.Count} segments but the baseline '{baseline.Name}' has {n}", nameof(systems));
        }

        // 1. One set of resamples for everything (sacreBLEU seeds a fresh generator identically for each use).
        int[][] resamples = new NumpyGenerator(Options.Seed).ChooseWithReplacement(n, Options.Resamples);

        var results = new List<PairedMetricResult>(metrics.Count);
        foreach (ICorpusMetric metric in metrics)
        {
            // 2. The baseline's statistics, score and resample scores, computed once.
            IReadOnlyList<long[]> baselineStats = metric.SegmentStatistics(baseline.Hypotheses, referenceStreams);
            double baselineScore = metric.Score(Sum(baselineStats));
            double[] baselineResamples = ResampleScores(metric, baselineStats, resamples);
            (double baselineMean, double baselineCi) = EstimateConfidence(baselineResamples);
            var rows = new List<PairedSystemResult>(systems.Count + 1)
            {
                new(baseline.Name, baselineScore, baselineMean, baselineCi, null),
            };

            // 3. Each system against it.
            foreach ((string name, IReadOnlyList<string> hyps) in systems)
            {
                IReadOnlyList<long[]> stats = metric.SegmentStatistics(hyps, referenceStreams);
                double score = metric.Score(Sum(stats));
                double[] scores = ResampleScores(metric, stats, resamples);
                (double mean, double ci) = EstimateConfidence(scores);
                double pValue = PValue(scores, baselineResamples, Math.Abs(baselineScore - score));
                rows.Add(new PairedSystemResult(name, score, mean, ci, pValue));
            }
            results.Add(new PairedMetricResult(metric.Name, Signature(metric, referenceStreams.Count), rows));
        }
        return results;
    }

    /// <summary>The metric's signature with the test's settings after <c>nrefs</c>, as sacreBLEU orders them
    /// (<c>nrefs:1|bs:1000|seed:12345|...</c>).</summary>
    public string Signature(ICorpusMetric metric, int referenceCount)
    {
        string signature = metric.Signature(referenceCount);
        int cut = signature.IndexOf('|', StringComparison.Ordinal);
        string settings = $"bs:{Options.Resamples}|seed:{Options.Seed}";
        return cut < 0 ? $"{signature}|{settings}" : $"{signature[..cut]}|{settings}{signature[cut..]}";
    }

    /// <summary>sacreBLEU's <c>estimate_ci</c>: the mean of the scores (NumPy's pairwise sum over the sorted
    /// scores) and half the distance between the (n/40)-th lowest and highest, a 95% interval.</summary>
    public static (double Mean, double ConfidenceInterval) EstimateConfidence(IReadOnlyList<double> scores)
    {
        if (scores.Count == 0) throw new ArgumentException("there are no scores", nameof(scores));
        double[] sorted = [.. scores];
        Array.Sort(sorted);
        int lower = sorted.Length / 40;
        int upper = sorted.Length - lower - 1;
        return (NumpyReductions.Mean(sorted), 0.5 * (sorted[upper] - sorted[lower]));
    }

    /// <summary>sacreBLEU's p-value of a paired bootstrap test (<c>_compute_p_value</c> on centred absolute
    /// differences).</summary>
    public static double PValue(IReadOnlyList<double> systemScores, IReadOnlyList<double> baselineScores, double observedDifference)
    {
        if (systemScores.Count != baselineScores.Count) throw new ArgumentException("the two systems have different numbers of resamples");
        var differences = new double[systemScores.Count];
        for (int i = 0; i < differences.Length; i++) differences[i] = Math.Abs(systemScores[i] - baselineScores[i]);
        double mean = NumpyReductions.Mean(differences);
        int count = 0;
        foreach (double d in differences)
        {
            if (d - mean > observedDifference) count++;
        }
        return (count + 1.0) / (differences.Length + 1);
    }

    // The score of every resample: its rows added in float32, in order, as NumPy's sum over axis 0 does.
    private static double[] ResampleScores(ICorpusMetric metric, IReadOnlyList<long[]> stats, int[][] resamples)
    {
        int width = stats[0].Length;
        var rows = new float[stats.Count][];
        for (int i = 0; i < rows.Length; i++) rows[i] = Array.ConvertAll(stats[i], v => (float)v);
        var scores = new double[resamples.Length];
        var sum = new float[width];
        for (int s = 0; s < resamples.Length; s++)
        {
            Array.Clear(sum);
            foreach (int i in resamples[s])
            {
                float[] row = rows[i];
                for (int k = 0; k < width; k++) sum[k] += row[k];
            }
            scores[s] = metric.ResampleScore(sum);
        }
        return scores;
    }

    private static long[] Sum(IReadOnlyList<long[]> stats)
    {
        var sum = new long[stats[0].Length];
        foreach (long[] row in stats)
        {
            for (int k = 0; k < sum.Length; k++) sum[k] += row[k];
        }
        return sum;
    }
}
