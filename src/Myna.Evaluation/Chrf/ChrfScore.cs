namespace Myna.Evaluation.Chrf;

/// <summary>A chrF score with what it was computed from, as sacreBLEU's <c>CHRFScore</c>.</summary>
/// <param name="Score">chrF on sacreBLEU's 0..100 scale.</param>
/// <param name="Name">sacreBLEU's name for the variant: <c>chrF2</c>, <c>chrF2++</c> (one '+' per word order).</param>
/// <param name="Statistics">The statistics the score was computed from.</param>
public sealed record ChrfScore(double Score, string Name, ChrfStatistics Statistics);
