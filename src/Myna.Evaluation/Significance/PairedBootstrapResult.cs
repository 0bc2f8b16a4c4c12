namespace Myna.Evaluation.Significance;

/// <summary>One system's result for one metric (sacreBLEU's <c>significance.Result</c>).</summary>
/// <param name="System">The system's name; the baseline comes first.</param>
/// <param name="Score">The corpus score on the full test set.</param>
/// <param name="Mean">The mean score over the bootstrap resamples (sacreBLEU's "true mean" estimate).</param>
/// <param name="ConfidenceInterval">Half the width of the 95% interval of the resample scores (μ ± this).</param>
/// <param name="PValue">The p-value of the difference from the baseline; null for the baseline itself.</param>
public sealed record PairedSystemResult(string System, double Score, double Mean, double ConfidenceInterval, double? PValue);

/// <summary>The paired bootstrap results of one metric for the baseline and every system.</summary>
/// <param name="Metric">The metric's name (<c>BLEU</c>, <c>chrF2</c>, <c>chrF2++</c>).</param>
/// <param name="Signature">sacreBLEU's signature with the test's settings, e.g.
/// <c>nrefs:1|bs:1000|seed:12345|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0</c>.</param>
/// <param name="Systems">The baseline first, then the systems in the order given.</param>
public sealed record PairedMetricResult(string Metric, string Signature, IReadOnlyList<PairedSystemResult> Systems);
