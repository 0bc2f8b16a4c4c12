using System.Diagnostics;
using Myna.Evaluation.Bleu;
using Myna.Evaluation.Significance;

namespace Myna.Apps.Translation;

/// <summary>
/// Scores a translation system beside its baselines on the same segments: BLEU with sacreBLEU's <c>zh</c> tokenizer,
/// chrF and chrF++, and sacreBLEU's paired bootstrap (1,000 resamples, seed 12345) of the system against each baseline.
/// </summary>
public sealed class TranslationEvaluator(PairedBootstrapOptions? bootstrap = null)
{
    /// <summary>The metrics reported, by <see cref="CorpusMetrics"/> name.</summary>
    public static IReadOnlyList<string> MetricNames { get; } = ["bleu", "chrf", "chrf++"];

    /// <summary>BLEU's options for Chinese references: sacreBLEU's <c>zh</c> tokenizer, which splits CJK characters.</summary>
    public static BleuOptions ChineseBleu { get; } = new() { Tokenize = "zh" };

    private readonly PairedBootstrap _bootstrap = new(bootstrap);

    /// <summary>Translates <paramref name="pairs"/>' sources with <paramref name="system"/> and every baseline and compares them.</summary>
    /// <exception cref="ArgumentException">No pairs, or a baseline with the system's name.</exception>
    public TranslationEvaluation Evaluate(string split, IReadOnlyList<TranslationPair> pairs, ITranslationSystem system,
        IReadOnlyList<ITranslationSystem> baselines, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        ArgumentNullException.ThrowIfNull(system);
        ArgumentNullException.ThrowIfNull(baselines);
        if (pairs.Count == 0) throw new ArgumentException("there are no pairs to evaluate.", nameof(pairs));
        if (baselines.Any(b => b.Name == system.Name)) throw new ArgumentException($"a baseline is named '{system.Name}' like the system.", nameof(baselines));
        string[] sources = [.. pairs.Select(p => p.Source)];
        IReadOnlyList<IReadOnlyList<string>> references = [pairs.Select(p => p.Target).ToArray()];

        var clock = Stopwatch.StartNew();
        IReadOnlyList<TranslatedLine> lines = system.TranslateLines(sources, cancellation);
        string[] hypotheses = [.. lines.Select(l => l.Text)];
        int failed = lines.Count(l => l.Failed);
        double seconds = clock.Elapsed.TotalSeconds;
        var baselineOutputs = baselines.Select(b => (b.Name, b.Translate(sources, cancellation))).ToList();
        return Compare(split, system.Name, hypotheses, baselineOutputs, references[0]) with { Failed = failed, Seconds = Math.Round(seconds, 2) };
    }

    /// <summary>Compares given outputs: <paramref name="hypotheses"/> of <paramref name="system"/> against each baseline's.</summary>
    /// <exception cref="ArgumentException">Outputs and references differ in length, or there are none.</exception>
    public TranslationEvaluation Compare(string split, string system, IReadOnlyList<string> hypotheses,
        IReadOnlyList<(string Name, IReadOnlyList<string> Outputs)> baselines, IReadOnlyList<string> references)
    {
        if (hypotheses.Count != references.Count) throw new ArgumentException($"{hypotheses.Count} outputs for {references.Count} references.", nameof(hypotheses));
        ICorpusMetric[] metrics = [.. MetricNames.Select(name => CorpusMetrics.Create(name, ChineseBleu))];
        IReadOnlyList<IReadOnlyList<string>> referenceStreams = [references];
        var scores = metrics.ToDictionary(m => m.Name, _ => new Dictionary<string, double>(StringComparer.Ordinal));
        var pValues = metrics.ToDictionary(m => m.Name, _ => new Dictionary<string, double>(StringComparer.Ordinal));
        var signatures = new Dictionary<string, string>();
        // One paired test per baseline: sacreBLEU's paired bootstrap compares systems with one baseline at a time.
        foreach ((string name, IReadOnlyList<string> outputs) in baselines)
        {
            IReadOnlyList<PairedMetricResult> results = _bootstrap.Compare((name, outputs), [(system, hypotheses)], referenceStreams, metrics);
            foreach (PairedMetricResult result in results)
            {
                signatures[result.Metric] = result.Signature;
                scores[result.Metric][name] = Math.Round(result.Systems[0].Score, 4);
                scores[result.Metric][system] = Math.Round(result.Systems[1].Score, 4);
                pValues[result.Metric][name] = result.Systems[1].PValue ?? double.NaN;
            }
        }
        if (baselines.Count == 0)
        {
            foreach (ICorpusMetric metric in metrics)
            {
                signatures[metric.Name] = metric.Signature(1);
                scores[metric.Name][system] = Math.Round(metric.Score(Sum(metric.SegmentStatistics(hypotheses, referenceStreams))), 4);
            }
        }
        return new TranslationEvaluation
        {
            Split = split,
            Segments = references.Count,
            System = system,
            Resamples = _bootstrap.Options.Resamples,
            Metrics = [.. metrics.Select(m => new MetricComparison(m.Name, signatures[m.Name], scores[m.Name], pValues[m.Name]))],
        };
    }

    private static long[] Sum(IReadOnlyList<long[]> statistics)
    {
        var total = new long[statistics.Count == 0 ? 0 : statistics[0].Length];
        foreach (long[] row in statistics)
            for (int i = 0; i < row.Length; i++) total[i] += row[i];
        return total;
    }
}
