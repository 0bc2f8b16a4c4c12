namespace Myna.Text.Corpus;

/// <summary>Input the reader could not use, and why: a whole file (<see cref="Line"/> 0), the rest of a file
/// (decoding failed part-way) or one record (a malformed JSON line, a row without the text column).
/// Reported through <see cref="CorpusReader.Skipped"/>, never thrown.</summary>
/// <param name="Source">The file's path.</param>
/// <param name="Line">1-based line or record number of the skipped record; 0 when the whole file (or its rest) was skipped.</param>
/// <param name="Reason">A short, human-readable reason such as "binary file" or "not valid UTF-8".</param>
public sealed record SkippedInput(string Source, long Line, string Reason)
{
    /// <summary>True when a whole file, or what remained of it, was skipped.</summary>
    public bool IsFile => Line == 0;

    /// <summary>True when the file broke off after some of its documents were read: those count, the rest is lost.</summary>
    public bool AfterDocuments { get; init; }
}
