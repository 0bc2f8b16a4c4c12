namespace Myna.Apps.Translation;

/// <summary>Finds a path of the repository from the working directory or from beside the program, walking upwards, so
/// the commands and the server work from any folder of a clone and from a build output.</summary>
internal static class RepositoryFolder
{
    /// <summary>The full path of the folder <paramref name="relativePath"/> under the nearest folder where it holds
    /// <paramref name="marker"/>, or null.</summary>
    public static string? Find(string relativePath, string marker)
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
            {
                string candidate = Path.Combine(directory.FullName, relativePath);
                if (File.Exists(Path.Combine(candidate, marker))) return candidate;
            }
        }
        return null;
    }
}
