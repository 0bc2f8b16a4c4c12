using System.Diagnostics;

namespace Myna.Tests.Cli;

/// <summary>Runs a program as a child process for the end-to-end tests: captured output, a time limit, a clean environment.</summary>
internal static class ChildProcess
{
    /// <summary>The dotnet that runs these tests (the test host is started by it), else the one on PATH.</summary>
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>Runs a program that must succeed; returns its standard output.</summary>
    public static async Task<string> RunCheckedAsync(string program, IEnumerable<string> arguments, string directory, TimeSpan limit)
    {
        (int code, string output, string error) = await RunAsync(program, arguments, directory, limit);
        Assert.True(code == 0, $"{program} {string.Join(' ', arguments)} exited with {code}:\n{output}\n{error}");
        return output;
    }

    /// <summary>
    /// Runs a program in <paramref name="directory"/> and returns its exit code and output; one that runs past
    /// <paramref name="limit"/> is killed and fails the test. The test host's MSBuild variables are not passed on, so a
    /// nested build is the one a user would run, and MYNA_DEFAULT_MODEL is not either, so the default-model lookup is
    /// the program's own.
    /// </summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(string program, IEnumerable<string> arguments, string directory, TimeSpan limit)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach (string name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList()) start.Environment.Remove(name);
        start.Environment.Remove("MYNA_DEFAULT_MODEL");
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', start.ArgumentList)} did not finish within {limit.TotalMinutes} min; it wrote:\n{await output}\n{await error}");
        }
        return (process.ExitCode, await output, await error);
    }
}
