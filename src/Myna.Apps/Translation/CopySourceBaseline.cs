namespace Myna.Apps.Translation;

/// <summary>The floor: the English returned unchanged. It scores above zero on Chinese references because commands,
/// file names and package names are left in Latin script by translators.</summary>
public sealed class CopySourceBaseline : ITranslationSystem
{
    /// <inheritdoc />
    public string Name => "copy-source";

    /// <inheritdoc />
    public IReadOnlyList<string> Translate(IReadOnlyList<string> sources, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return [.. sources];
    }
}
