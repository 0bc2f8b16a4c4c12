using Myna.Models.Checkpoints;

namespace Myna.Apps.Translation;

/// <summary>Where the fine-tuned English → Chinese model lives: <c>models/myna-translate-en-zh</c> of the repository,
/// made by <c>recipes/translate.sh</c>.</summary>
public static class TranslationModelFolder
{
    /// <summary>The folder, relative to the repository root.</summary>
    public const string RelativePath = "models/myna-translate-en-zh";

    /// <summary>The recipe that builds it.</summary>
    public const string Recipe = "recipes/translate.sh";

    /// <summary><paramref name="requested"/> when given, else the repository's folder found from the working directory or
    /// beside the program and upwards.</summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist (the message names the recipe that makes it).</exception>
    public static string Resolve(string? requested)
    {
        if (requested is not null)
        {
            return Directory.Exists(requested) ? requested
                : throw new DirectoryNotFoundException($"the translation model '{requested}' does not exist; build one with `bash {Recipe}`.");
        }
        if (RepositoryFolder.Find(RelativePath, ModelDirectory.ConfigFileName) is { } found) return found;
        throw new DirectoryNotFoundException($"the translation model {RelativePath} was not found here, beside the program or above; build it with `bash {Recipe}` or pass --model DIR.");
    }
}
