using Myna.Evaluation.Bleu;
using Myna.Evaluation.Chrf;

namespace Myna.Evaluation.Significance;

/// <summary>The metrics a paired test can compare, by the short names the command line and apps use.</summary>
public static class CorpusMetrics
{
    /// <summary>BLEU, chrF (chrF2) and chrF++ (chrF2++), each with sacreBLEU's defaults.</summary>
    public static IReadOnlyList<string> Names { get; } = ["bleu", "chrf", "chrf++"];

    /// <summary>What a comparison reports unless asked otherwise: BLEU and chrF, the pair WMT reports.</summary>
    public static IReadOnlyList<string> DefaultNames { get; } = ["bleu", "chrf"];

    /// <summary>The metric named <paramref name="name"/> (case-insensitive); BLEU with <paramref name="bleu"/>
    /// (for instance the <c>zh</c> tokenizer), chrF and chrF++ with sacreBLEU's defaults.</summary>
    /// <exception cref="ArgumentException">An unknown name or invalid BLEU options.</exception>
    public static ICorpusMetric Create(string name, BleuOptions? bleu = null) => name.ToLowerInvariant() switch
    {
        "bleu" => new BleuCorpusMetric(new BleuScorer(bleu)),
        "chrf" => new ChrfCorpusMetric(new ChrfScorer()),
        "chrf++" => new ChrfCorpusMetric(new ChrfScorer(ChrfOptions.ChrfPlusPlus)),
        _ => throw new ArgumentException($"unknown metric '{name}': use {string.Join(", ", Names)}", nameof(name)),
    };
}
