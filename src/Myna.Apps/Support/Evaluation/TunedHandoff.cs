namespace Myna.Apps.Support.Evaluation;

/// <summary>Tuned thresholds and what they reached on the questions they were tuned on.</summary>
public sealed record TunedHandoff(HandoffPolicy Policy, double CorrectActionRate, double HandoffF1);
