using Myna.Generation;
using Myna.Models.Checkpoints;
using Myna.Text.Tokenization;

namespace Myna.Cli;

/// <summary>Finds and loads the model a command works on: <c>--model DIR</c>, else the embedded default model.</summary>
internal static class ModelLocator
{
    /// <summary>Where the default model lives in the repository.</summary>
    public const string DefaultModelPath = "models/myna-default";

    /// <summary>Environment variable that points at another default model directory.</summary>
    public const string DefaultModelVariable = "MYNA_DEFAULT_MODEL";

    /// <summary>The directory of <paramref name="requested"/>, or of the default model when it is null.</summary>
    public static string Resolve(string? requested)
    {
        if (requested is not null) return requested;
        if (Environment.GetEnvironmentVariable(DefaultModelVariable) is { Length: > 0 } fromEnvironment) return fromEnvironment;
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, DefaultModelPath);
                if (File.Exists(Path.Combine(candidate, "config.json"))) return candidate;
            }
        }
        throw new CliException($"no --model given and the default model ({DefaultModelPath}) was not found here or above; pass --model DIR.");
    }

    /// <summary>Loads a model directory, turning format problems into one-line errors.</summary>
    public static GptLanguageModel Load(string? requested)
    {
        string directory = Resolve(requested);
        try
        {
            return GptLanguageModel.FromPretrained(directory);
        }
        catch (Exception ex) when (ex is ModelFormatException or SafeTensorsFormatException or TokenizerFormatException or FileNotFoundException)
        {
            throw new CliException(ex.Message);
        }
    }
}
