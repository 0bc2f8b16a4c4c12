namespace Myna.Apps.Translation;

/// <summary>One source's translation, or why there is none.</summary>
/// <param name="Text">The Chinese text; empty when <see cref="Error"/> is set.</param>
/// <param name="Error">Why the source was not translated (too long for the context, empty), or null.</param>
public sealed record TranslatedLine(string Text, string? Error)
{
    /// <summary>True when the source was not translated.</summary>
    public bool Failed => Error is not null;
}
