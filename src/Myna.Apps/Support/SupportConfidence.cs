namespace Myna.Apps.Support;

/// <summary>How sure the assistant is of its best entry.</summary>
/// <param name="Score">The best entry's retrieval score (0 when nothing matched).</param>
/// <param name="Margin">The best score minus the second best (the best score when only one entry matched): a small margin means two entries compete.</param>
/// <param name="Coverage">The IDF-weighted share of the question's terms the best entry contains (<see cref="QueryCoverage"/>).</param>
public sealed record SupportConfidence(double Score, double Margin, double Coverage)
{
    /// <summary>The confidence of an empty result.</summary>
    public static SupportConfidence None { get; } = new(0, 0, 0);
}
