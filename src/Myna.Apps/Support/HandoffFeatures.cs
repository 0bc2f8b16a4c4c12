namespace Myna.Apps.Support;

/// <summary>
/// What <see cref="LogisticHandoff"/> decides from: the best entry's score (log-scaled: BM25 scores grow with the
/// question's length), the coverage of the question by the best entry, the share of the question's terms the whole FAQ
/// lacks, and the language (Chinese scores run higher: character pairs add terms). Chosen by held-out hand-off F1 on
/// dev among richer sets (the margin to the second entry, the question's length, language interactions), which did no better.
/// </summary>
public static class HandoffFeatures
{
    /// <summary>The features' names, in vector order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["log_score", "coverage", "unknown", "zh"];

    /// <summary>The feature vector of <paramref name="confidence"/> for a question in <paramref name="lang"/>.</summary>
    public static double[] Of(SupportConfidence confidence, string lang)
    {
        ArgumentNullException.ThrowIfNull(confidence);
        return [Math.Log(1 + Math.Max(0, confidence.Score)), confidence.Coverage, confidence.Unknown, lang == SupportLanguage.Chinese ? 1 : 0];
    }
}
