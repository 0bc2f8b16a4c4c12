namespace Myna.Tests.Text;

/// <summary>A fresh folder under the system temp directory, deleted when the test ends.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "myna-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="text"/> as UTF-8 to a file under the folder and returns its full path.</summary>
    public string Write(string relative, string text)
    {
        string full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text);
        return full;
    }

    /// <summary>Writes raw bytes to a file under the folder and returns its full path.</summary>
    public string WriteBytes(string relative, byte[] bytes)
    {
        string full = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllBytes(full, bytes);
        return full;
    }

    /// <summary>A file committed under tests/Myna.Tests/, found by walking up from the test assembly to the repository
    /// root (the folder with Myna.slnx): test data resolved relative to the repository, never copied or machine-specific.</summary>
    public static string Committed(string relativeToTestProject) =>
        System.IO.Path.Combine(RepositoryRoot(), "tests", "Myna.Tests", relativeToTestProject);

    /// <summary>The repository root: the nearest folder above the test assembly holding Myna.slnx.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Myna.slnx"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Myna.slnx above {AppContext.BaseDirectory}");
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
