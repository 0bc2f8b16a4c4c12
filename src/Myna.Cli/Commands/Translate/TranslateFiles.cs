using System.CommandLine;
using Myna.Apps.Translation;

namespace Myna.Cli.Commands.Translate;

/// <summary>Options and paths shared by the <c>myna translate</c> commands.</summary>
internal static class TranslateFiles
{
    /// <summary><c>--model DIR</c>: the translation model.</summary>
    public static Option<string> CreateModelOption() => new("--model", "-m")
    {
        Description = $"The translation model directory. Default: {TranslationModelFolder.RelativePath} (built by {TranslationModelFolder.Recipe}).",
        HelpName = "DIR",
    };

    /// <summary><c>--data FOLDER</c>: the parallel text.</summary>
    public static Option<string> CreateDataOption() => new("--data")
    {
        Description = $"Folder of reference.jsonl, faq.jsonl and libreoffice.jsonl. Default: {TranslationData.FolderPath} of the repository.",
        HelpName = "FOLDER",
    };

    /// <summary>The data folder asked for, else the repository's.</summary>
    public static string ResolveData(string? requested)
    {
        if (requested is null) return TranslationData.FindFolder();
        if (!Directory.Exists(requested)) throw new CliException($"--data '{requested}' is not a folder.");
        return requested;
    }
}
