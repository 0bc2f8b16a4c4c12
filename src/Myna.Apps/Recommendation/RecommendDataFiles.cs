namespace Myna.Apps.Recommendation;

/// <summary>Where the recommendation data lives when a front end is given no path, and the one-line remedy when it is missing.</summary>
public static class RecommendDataFiles
{
    /// <summary>The folder <c>recipes/apps-data.sh recommend</c> writes (ratings.csv + movies.csv), relative to the repository root; git-ignored.</summary>
    public const string DefaultFolder = "data/apps/recommend";

    /// <summary>What makes the default folder.</summary>
    public const string Recipe = "bash recipes/apps-data.sh recommend";

    /// <summary>The full path of <see cref="DefaultFolder"/> under the working directory, the program's directory or any
    /// folder above either, when it holds a ratings file; else null.</summary>
    public static string? Find()
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
            {
                string candidate = Path.Combine(directory.FullName, DefaultFolder);
                if (File.Exists(Path.Combine(candidate, RatingsReader.CsvFileName)) || File.Exists(Path.Combine(candidate, RatingsReader.DatFileName))) return candidate;
            }
        }
        return null;
    }

    /// <summary><paramref name="requested"/> when given, else the default folder.</summary>
    /// <exception cref="DirectoryNotFoundException">Nothing was requested and the default folder is missing: the message names the recipe.</exception>
    public static string Resolve(string? requested) =>
        requested ?? Find() ?? throw new DirectoryNotFoundException($"{DefaultFolder} is missing: `{Recipe}` makes it (or pass --data DIR with a MovieLens ratings.csv or ratings.dat).");

    /// <summary>Where models trained on <paramref name="ratingsPath"/> are cached by default: the folder holding the ratings.</summary>
    public static string DefaultCache(string ratingsPath) =>
        Directory.Exists(ratingsPath) ? ratingsPath : Path.GetDirectoryName(Path.GetFullPath(ratingsPath))!;

    /// <summary>The model folder to serve from <paramref name="cacheRoot"/> (<c>model-*</c> with <see cref="SequenceModelInfo.FileName"/>),
    /// or null when there is none: the most recently trained one among those that carry the hybrid's transitions, and
    /// only when none does, the most recent of the older folders that serve the model alone.</summary>
    public static string? FindCachedModel(string cacheRoot) =>
        !Directory.Exists(cacheRoot)
            ? null
            : new DirectoryInfo(cacheRoot).GetDirectories("model-*")
                .Where(d => File.Exists(Path.Combine(d.FullName, SequenceModelInfo.FileName)))
                .OrderByDescending(d => File.Exists(Path.Combine(d.FullName, TransitionTable.FileName)))
                .ThenByDescending(d => File.GetLastWriteTimeUtc(Path.Combine(d.FullName, SequenceModelInfo.FileName)))
                .Select(d => d.FullName)
                .FirstOrDefault();
}
