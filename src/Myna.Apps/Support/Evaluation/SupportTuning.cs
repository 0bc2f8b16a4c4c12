namespace Myna.Apps.Support.Evaluation;

/// <summary>What <see cref="SupportTuner"/> found on the dev split: per language, each BM25 setting tried and the chosen
/// one; the keyword baseline's thresholds; and the learned hand-off under the chosen settings.</summary>
public sealed record SupportTuning(PerLanguage<IReadOnlyList<SettingsTrial>> Trials, PerLanguage<SettingsTrial> Best, PerLanguage<TunedHandoff> Keyword,
    TunedLogisticHandoff Handoff);
