using Myna.Models.Checkpoints;

namespace Myna.Generation;

/// <summary>
/// Where the default model lives when a front end (<c>myna generate</c>, <c>myna serve</c>, an app) is given no model
/// directory: <see cref="EnvironmentVariable"/> if set, else <see cref="RelativePath"/> in the working directory, the
/// program's directory, or any folder above either (so it is found from a repository checkout, beside a published build
/// and in the installed myna tool, whose package carries it beside the program).
/// </summary>
public static class DefaultModel
{
    /// <summary>Where the default model lives, relative to a repository root or a published build.</summary>
    public const string RelativePath = "models/myna-default";

    /// <summary>Environment variable that points at another default model directory.</summary>
    public const string EnvironmentVariable = "MYNA_DEFAULT_MODEL";

    /// <summary>The default model's directory, or null when there is none to be found.</summary>
    public static string? Find()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment) return fromEnvironment;
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
            {
                string candidate = Path.Combine(directory.FullName, RelativePath);
                if (File.Exists(Path.Combine(candidate, ModelDirectory.ConfigFileName))) return candidate;
            }
        }
        return null;
    }

    /// <summary><paramref name="requested"/> when given, else the default model's directory.</summary>
    /// <exception cref="DirectoryNotFoundException">Nothing was requested and no default model was found.</exception>
    public static string Resolve(string? requested) =>
        requested ?? Find() ?? throw new DirectoryNotFoundException(
            $"no model directory given and the default model ({RelativePath}) was not found here, beside the program or above; pass a model directory (--model DIR) or set {EnvironmentVariable}.");
}
