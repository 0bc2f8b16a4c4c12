namespace Myna.Apps.Support.Evaluation;

/// <summary>One BM25 question boost tried during tuning: its tuned hand-off and the MRR@10 of its ranking on dev.</summary>
public sealed record BoostTrial(float Boost, TunedHandoff Handoff, double MrrAt10);
