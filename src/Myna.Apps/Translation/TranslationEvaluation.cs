using System.Text.Json.Serialization;

namespace Myna.Apps.Translation;

/// <summary>The result of <see cref="TranslationEvaluator.Evaluate"/>: every system's corpus scores on one split, and
/// the paired-bootstrap p-value of the evaluated system against each baseline, per metric.</summary>
public sealed record TranslationEvaluation
{
    /// <summary>The split's name (test, dev).</summary>
    [JsonPropertyName("split")] public required string Split { get; init; }

    /// <summary>Segments scored.</summary>
    [JsonPropertyName("segments")] public int Segments { get; init; }

    /// <summary>The evaluated system's name.</summary>
    [JsonPropertyName("system")] public required string System { get; init; }

    /// <summary>Segments the evaluated system could not translate (scored as empty).</summary>
    [JsonPropertyName("failed")] public int Failed { get; init; }

    /// <summary>Seconds the evaluated system took to translate the split.</summary>
    [JsonPropertyName("seconds")] public double Seconds { get; init; }

    /// <summary>Bootstrap resamples of each paired test.</summary>
    [JsonPropertyName("resamples")] public int Resamples { get; init; }

    /// <summary>One entry per metric.</summary>
    [JsonPropertyName("metrics")] public required IReadOnlyList<MetricComparison> Metrics { get; init; }

    /// <summary>Issue 17's target: the system beats <paramref name="baseline"/> by at least <paramref name="margin"/> points on
    /// BLEU and on chrF, each at p &lt; <paramref name="alpha"/>.</summary>
    public bool Beats(string baseline, double margin = 3, double alpha = 0.05) =>
        Metrics.Where(m => m.Metric is "BLEU" or "chrF2").All(m =>
            m.Scores[System] - m.Scores[baseline] >= margin && m.PValues.TryGetValue(baseline, out double p) && p < alpha);
}

/// <summary>One metric's scores and p-values.</summary>
/// <param name="Metric">BLEU, chrF2 or chrF2++.</param>
/// <param name="Signature">sacreBLEU's signature with the bootstrap settings.</param>
/// <param name="Scores">Corpus score per system (0-100, as sacreBLEU prints them).</param>
/// <param name="PValues">The evaluated system's p-value against each baseline, by baseline name.</param>
public sealed record MetricComparison(
    [property: JsonPropertyName("metric")] string Metric,
    [property: JsonPropertyName("signature")] string Signature,
    [property: JsonPropertyName("scores")] IReadOnlyDictionary<string, double> Scores,
    [property: JsonPropertyName("p_values")] IReadOnlyDictionary<string, double> PValues);
