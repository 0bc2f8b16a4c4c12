using System.Diagnostics;
using Myna.Tests.Text;

namespace Myna.Tests.Server;

/// <summary>
/// Where the external tools are and whether they are here. Outside CI a missing tool skips its test with the reason;
/// in CI (<c>CI=true</c>, as <c>.ci/run</c> runs) it fails it, so a broken install step cannot pass unseen.
/// </summary>
public static class ExternalTools
{
    /// <summary>Debian's chromium (package <c>chromium</c>).</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>Debian's chromedriver (package <c>chromium-driver</c>), the same version as the browser.</summary>
    public const string ChromeDriverPath = "/usr/bin/chromedriver";

    /// <summary>Whether this run is CI's: there a missing tool is a failure, not a skip.</summary>
    public static bool InContinuousIntegration =>
        Environment.GetEnvironmentVariable("CI") is { } value && (value.Equals("true", StringComparison.OrdinalIgnoreCase) || value == "1");

    /// <summary>tests/node: the Node SDK check's package and script.</summary>
    public static string NodeCheckFolder => Path.Combine(TempFolder.RepositoryRoot(), "tests", "node");

    /// <summary>The <c>node</c> executable on PATH, or null.</summary>
    public static string? NodePath => (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, "node"))
        .FirstOrDefault(File.Exists);

    /// <summary>Why <paramref name="tool"/> cannot run here (what to install), or null when it can.</summary>
    public static string? Missing(ExternalTool tool) => tool switch
    {
        ExternalTool.Chromium => !File.Exists(ChromiumPath) || !File.Exists(ChromeDriverPath)
            ? $"{ChromiumPath} or {ChromeDriverPath} is missing: apt-get install chromium chromium-driver (.ci/run does)"
            : null,
        ExternalTool.Node => NodePath is null ? "node is not on PATH: install Node.js 20 or later" : null,
        ExternalTool.NodeOpenAiSdk => NodePath is null
            ? "node is not on PATH: install Node.js 20 or later"
            : !File.Exists(Path.Combine(NodeCheckFolder, "node_modules", "openai", "package.json"))
                ? "the openai package is not installed in tests/node: run npm ci there (.ci/run does)"
                : null,
        _ => throw new ArgumentOutOfRangeException(nameof(tool)),
    };

    /// <summary>
    /// Runs <c>node</c> with <paramref name="arguments"/> in tests/node and returns its exit code and output; a run
    /// longer than <paramref name="limit"/> is killed and fails the test.
    /// </summary>
    public static async Task<(int ExitCode, string Output, string Errors)> RunNodeAsync(
        IEnumerable<string> arguments, TimeSpan limit, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(NodePath ?? throw new InvalidOperationException("node is not on PATH"))
        {
            WorkingDirectory = NodeCheckFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using Process node = Process.Start(start)!;
        Task<string> output = node.StandardOutput.ReadToEndAsync();
        Task<string> errors = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            Assert.Fail($"node {string.Join(' ', start.ArgumentList)} did not finish within {limit.TotalSeconds} s; it wrote: {await output}{await errors}");
        }
        return (node.ExitCode, await output, await errors);
    }

    /// <summary>Fails the test when <paramref name="tool"/> is missing (reached only in CI: elsewhere the test was skipped).</summary>
    public static void Require(ExternalTool tool)
    {
        if (Missing(tool) is { } reason) Assert.Fail($"{reason}. CI must install it.");
    }
}
