namespace Myna.Apps.Support.Evaluation;

/// <summary>What <see cref="SupportTuner"/> found on the dev split: each boost tried, the chosen one, and the keyword baseline's thresholds.</summary>
public sealed record SupportTuning(IReadOnlyList<BoostTrial> Trials, BoostTrial Best, TunedHandoff Keyword);
