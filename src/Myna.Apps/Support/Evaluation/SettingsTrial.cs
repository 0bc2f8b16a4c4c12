namespace Myna.Apps.Support.Evaluation;

/// <summary>One BM25 setting tried during tuning: its ranking's MRR@10 and hit@1 on dev, and its tuned hand-off.</summary>
public sealed record SettingsTrial(Bm25Settings Settings, double MrrAt10, double HitAt1, TunedHandoff Handoff);
