namespace Myna.Apps.Support.Evaluation;

/// <summary>What <see cref="SupportTuner"/> found on the dev split: per language, each BM25 setting tried and the chosen one; and the keyword baseline's thresholds.</summary>
public sealed record SupportTuning(PerLanguage<IReadOnlyList<SettingsTrial>> Trials, PerLanguage<SettingsTrial> Best, PerLanguage<TunedHandoff> Keyword);
