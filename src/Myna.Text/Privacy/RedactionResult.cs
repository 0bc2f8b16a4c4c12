namespace Myna.Text.Privacy;

/// <summary>Redacted text and what was replaced.</summary>
/// <param name="Text">The text with every match replaced by its placeholder.</param>
/// <param name="Matches">The matches, in text order.</param>
public sealed record RedactionResult(string Text, IReadOnlyList<PiiMatch> Matches);
