namespace Myna.Apps.Support.Evaluation;

/// <summary>The learned hand-off: the model fitted on every dev question, the threshold, and what the threshold reached on held-out folds.</summary>
/// <param name="Model">P(out of scope | <see cref="HandoffFeatures"/>), fitted on all dev questions.</param>
/// <param name="Threshold">The probability from which questions are handed off, chosen for the best held-out hand-off F1.</param>
/// <param name="HandoffF1">Hand-off F1 on dev, each question decided by a model fitted without its fold.</param>
/// <param name="CorrectActionRate">Correct-action rate on dev, the same way.</param>
public sealed record TunedLogisticHandoff(LogisticRegression Model, double Threshold, double HandoffF1, double CorrectActionRate)
{
    /// <summary>The rule per language.</summary>
    public PerLanguage<IHandoffRule> Rule => LogisticHandoff.PerLanguage(Model, Threshold);
}
