namespace Myna.Apps.Support;

/// <summary>
/// What <see cref="LogisticHandoff"/> decides from: the best entry's score and its margin over the second (log-scaled:
/// BM25 scores grow with the question's length), the coverage of the question by the best entry, the share of the
/// question's terms the whole FAQ lacks, and the language (Chinese scores run on another scale: character pairs add
/// terms), alone and with the score.
/// </summary>
public static class HandoffFeatures
{
    /// <summary>The features' names, in vector order.</summary>
    public static IReadOnlyList<string> Names { get; } = ["log_score", "log_margin", "coverage", "unknown", "zh", "zh_log_score"];

    /// <summary>The feature vector of <paramref name="confidence"/> for a question in <paramref name="lang"/>.</summary>
    public static double[] Of(SupportConfidence confidence, string lang)
    {
        ArgumentNullException.ThrowIfNull(confidence);
        double zh = lang == SupportLanguage.Chinese ? 1 : 0;
        double logScore = Math.Log(1 + Math.Max(0, confidence.Score));
        return [logScore, Math.Log(1 + Math.Max(0, confidence.Margin)), confidence.Coverage, confidence.Unknown, zh, zh * logScore];
    }
}
