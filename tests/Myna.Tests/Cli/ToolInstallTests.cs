using System.IO.Compression;
using System.Runtime.InteropServices;
using Myna.Cli.Commands;
using Myna.Tests.Text;

namespace Myna.Tests.Cli;

/// <summary>
/// What a new user does, end to end: the myna tool is packed to a folder feed, installed from that feed alone (a
/// nuget.config that clears every other source, so nothing comes from the network), and <c>myna quickstart</c> runs
/// from an empty folder, finding the default model the tool carries. Slow (a pack and a real install), so it is the
/// one test of its kind.
/// </summary>
[Collection(DotnetPackCollection.Name)]
public sealed class ToolInstallTests
{
    /// <summary>The ceiling for the program of one runtime: what the tool package holds once unpacked.</summary>
    private const long InstalledSizeLimit = 80_000_000;

    /// <summary>
    /// Packed as users pack it, in Release: a Debug program runs the quickstart's held-out perplexity several times
    /// slower. Where the tests themselves were built in Release the build is already there; in CI, .ci/run's container
    /// step has built the libraries in Release before the tests start.
    /// </summary>
    private const string Configuration = "Release";

    [Fact]
    public async Task The_packed_tool_installs_from_a_local_feed_and_runs_quickstart_from_an_empty_folder()
    {
        using var temp = new TempFolder();
        string feed = Path.Combine(temp.Path, "feed");
        string tools = Path.Combine(temp.Path, "tools");
        string empty = Directory.CreateDirectory(Path.Combine(temp.Path, "empty")).FullName;
        string rid = CurrentRuntime();

        // Only this machine's runtime: the other runtimes' packages are built the same way and would only add time.
        string project = Path.Combine(TempFolder.RepositoryRoot(), "src", "Myna.Cli", "Myna.Cli.csproj");
        await ChildProcess.RunCheckedAsync(ChildProcess.Dotnet, ["pack", project, "-c", Configuration, "-o", feed, "-nologo", $"-p:ToolPackageRuntimeIdentifiers={rid}"],
            temp.Path, TimeSpan.FromMinutes(6));

        string ridPackage = Assert.Single(Directory.GetFiles(feed, $"myna.{rid}.*.nupkg"));
        Assert.Single(Directory.GetFiles(feed, "myna.0.*.nupkg"));
        using (ZipArchive package = ZipFile.OpenRead(ridPackage))
        {
            string[] names = package.Entries.Select(e => e.FullName).ToArray();
            string program = $"tools/net10.0/{rid}/";
            Assert.Contains(program + "myna.dll", names);
            Assert.Contains(program + "models/myna-default/model.safetensors", names);
            Assert.Contains(program + "models/myna-default/heldout/meta.json", names);
            Assert.Contains(program + "jieba/dict.txt", names);
            // llama.cpp is a benchmark peer of the repository, never part of the tool.
            Assert.DoesNotContain(names, n => n.Contains("llama", StringComparison.OrdinalIgnoreCase) || n.Contains("ggml", StringComparison.OrdinalIgnoreCase));
            long installed = package.Entries.Sum(e => e.Length);
            Assert.True(installed <= InstalledSizeLimit, $"the tool for {rid} unpacks to {installed / 1e6:F1} MB, over the {InstalledSizeLimit / 1e6:F0} MB limit");
        }

        // The local feed and nothing else: a tool package holds its dependencies, so no other source is needed.
        string config = Path.Combine(temp.Path, "nuget.config");
        File.WriteAllText(config, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        await ChildProcess.RunCheckedAsync(ChildProcess.Dotnet, ["tool", "install", "--tool-path", tools, "--configfile", config, "myna"], temp.Path, TimeSpan.FromMinutes(2));

        string myna = Path.Combine(tools, OperatingSystem.IsWindows() ? "myna.exe" : "myna");
        string output = await ChildProcess.RunCheckedAsync(myna, ["quickstart"], empty, TimeSpan.FromMinutes(4));
        // The model found is the one inside the installed tool, not a checkout's.
        Assert.Contains(Path.Combine(tools, ".store"), output);
        Assert.Contains(Path.Combine("models", "myna-default"), output);
        foreach (string prompt in QuickstartCommand.Prompts)
        {
            // Each prompt is streamed at the start of a line, its continuation after it, then a blank line.
            int start = output.IndexOf("\n" + prompt, StringComparison.Ordinal);
            Assert.True(start >= 0, $"'{prompt}' was not generated from:\n{output}");
            string rest = output[(start + 1 + prompt.Length)..];
            int end = rest.IndexOf("\n\n", StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(end < 0 ? rest : rest[..end]), $"no text generated after '{prompt}':\n{output}");
        }
        Assert.Contains("perplexity", output, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(Directory.EnumerateFileSystemEntries(empty));

        // The benchmarks are in the tool; their llama.cpp peer is refused in one line that says how to go on.
        (int code, string _, string error) = await ChildProcess.RunAsync(myna, ["bench", "generate", "--preset", "tiny"], empty, TimeSpan.FromMinutes(1));
        Assert.NotEqual(0, code);
        Assert.StartsWith("error: llama.cpp (LLamaSharp) is not part of this build of myna", error);
        Assert.Contains("--skip-llama", error);
    }

    /// <summary>The runtime the tool package is made for here: the portable name of this OS and processor.</summary>
    private static string CurrentRuntime()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        return $"{os}-{RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant()}";
    }
}
