namespace Myna.Text.Privacy;

/// <summary>One redacted span of the original text.</summary>
/// <param name="Type">What was found.</param>
/// <param name="Start">Offset in the original text (UTF-16 code units).</param>
/// <param name="Length">Length in the original text.</param>
/// <param name="Value">The original characters (never written to output; for tests and audits).</param>
public sealed record PiiMatch(PiiType Type, int Start, int Length, string Value);
