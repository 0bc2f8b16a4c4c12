namespace Myna.Apps.Support;

/// <summary>
/// Hands off when a logistic regression over <see cref="HandoffFeatures"/> puts the probability that the question is out
/// of scope at <see cref="Threshold"/> or more. The weights are fitted and the threshold chosen (best hand-off F1) on the
/// dev split's held-out folds by <see cref="Evaluation.LogisticHandoffTuning"/> (<c>myna support tune</c>).
/// </summary>
/// <param name="Lang">The language of the questions it decides on (a feature of the model).</param>
/// <param name="Model">P(out of scope | features).</param>
/// <param name="Threshold">The lowest probability handed off.</param>
public sealed record LogisticHandoff(string Lang, LogisticRegression Model, double Threshold) : IHandoffRule
{
    /// <summary>The same model and threshold for each language.</summary>
    public static PerLanguage<IHandoffRule> PerLanguage(LogisticRegression model, double threshold) =>
        new(new LogisticHandoff(SupportLanguage.English, model, threshold), new LogisticHandoff(SupportLanguage.Chinese, model, threshold));

    /// <summary>The probability that a question with <paramref name="confidence"/> is out of scope.</summary>
    public double OutOfScopeProbability(SupportConfidence confidence) => Model.Probability(HandoffFeatures.Of(confidence, Lang));

    /// <inheritdoc />
    public bool ShouldHandOff(SupportConfidence confidence, int matches)
    {
        ArgumentNullException.ThrowIfNull(confidence);
        return matches == 0 || OutOfScopeProbability(confidence) >= Threshold;
    }
}
