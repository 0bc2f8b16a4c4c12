namespace Myna.Apps.Support;

/// <summary>
/// Where the support data lives when a front end is given no path: <see cref="FaqPath"/> and <see cref="QuestionsPath"/>
/// relative to the working directory, the program's directory or any folder above either (so they are found from a
/// repository checkout and beside a build), as the default model is found.
/// </summary>
public static class SupportDataFiles
{
    /// <summary>The knowledge base, relative to the repository root.</summary>
    public const string FaqPath = "data/apps/support/faq.jsonl";

    /// <summary>The labelled questions (dev and test splits), relative to the repository root.</summary>
    public const string QuestionsPath = "data/apps/support/questions.jsonl";

    /// <summary>The full path of <paramref name="relativePath"/> under the nearest folder that has it, or null.</summary>
    public static string? Find(string relativePath)
    {
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? directory = new(start); directory is not null; directory = directory.Parent)
            {
                string candidate = Path.Combine(directory.FullName, relativePath);
                if (File.Exists(candidate)) return candidate;
            }
        }
        return null;
    }

    /// <summary><paramref name="requested"/> when given, else <paramref name="relativePath"/> found as <see cref="Find"/> does.</summary>
    /// <param name="requested">The path the user gave, or null.</param>
    /// <param name="relativePath"><see cref="FaqPath"/> or <see cref="QuestionsPath"/>.</param>
    /// <param name="remedy">What the user can do instead, ending the error message ("pass --faq FILE").</param>
    /// <exception cref="FileNotFoundException">Nothing was requested and the default file was not found.</exception>
    public static string Resolve(string? requested, string relativePath, string remedy) =>
        requested ?? Find(relativePath) ?? throw new FileNotFoundException(
            $"{relativePath} was not found here, beside the program or above; {remedy}.", relativePath);
}
