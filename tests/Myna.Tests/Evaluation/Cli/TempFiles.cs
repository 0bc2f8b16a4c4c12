using System.Text;

namespace Myna.Tests.Evaluation.Cli;

/// <summary>A temporary folder of line files for the eval commands; deleted on dispose.</summary>
internal sealed class TempFiles : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("myna-eval-").FullName;
    private int _count;

    /// <summary>Writes <paramref name="lines"/>, each ended by '\n', and returns the path.</summary>
    public string Lines(IEnumerable<string> lines) => Bytes(Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));

    public string Bytes(byte[] bytes)
    {
        string path = Path.Combine(_directory, $"f{_count++}.txt");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string Missing => Path.Combine(_directory, "missing.txt");

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
