namespace Myna.Apps.Translation;

/// <summary>Something that turns English lines into Chinese lines: the fine-tuned model or a baseline.</summary>
public interface ITranslationSystem
{
    /// <summary>The name reports use (<c>model</c>, <c>translation-memory</c>, <c>copy-source</c>).</summary>
    string Name { get; }

    /// <summary>One output per source, in order; a source the system cannot translate gives an empty string.</summary>
    IReadOnlyList<string> Translate(IReadOnlyList<string> sources, CancellationToken cancellation = default);

    /// <summary>As <see cref="Translate"/>, with the reason for each source that could not be translated (a baseline never fails).</summary>
    IReadOnlyList<TranslatedLine> TranslateLines(IReadOnlyList<string> sources, CancellationToken cancellation = default) =>
        [.. Translate(sources, cancellation).Select(text => new TranslatedLine(text, null))];
}
