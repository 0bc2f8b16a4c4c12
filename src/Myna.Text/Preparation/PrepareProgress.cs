namespace Myna.Text.Preparation;

/// <summary>Progress of a prepare run, reported every few thousand documents.</summary>
/// <param name="Phase">"boilerplate scan" (the pre-pass) or "prepare".</param>
/// <param name="BytesRead">Input bytes read in this phase.</param>
/// <param name="TotalBytes">Input bytes in all (0 when unknown).</param>
/// <param name="Documents">Documents read in this phase.</param>
public readonly record struct PrepareProgress(string Phase, long BytesRead, long TotalBytes, long Documents);
