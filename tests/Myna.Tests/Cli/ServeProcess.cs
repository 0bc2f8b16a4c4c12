using System.Diagnostics;
using System.Globalization;
using System.Text;
using Myna.Cli;

namespace Myna.Tests.Cli;

/// <summary>
/// <c>myna serve</c> as a user or a container runtime runs it: a child process of the built CLI, its address read from
/// the "listening on …" line it prints, stopped by a signal; killed at disposal if it is still running.
/// </summary>
internal sealed class ServeProcess : IDisposable
{
    private readonly Process _child;
    private readonly StringBuilder _output = new();

    private ServeProcess(Process child) => _child = child;

    /// <summary>The "listening on http://…" line the server printed.</summary>
    public string ListeningLine { get; private set; } = "";

    /// <summary>The address it listens on.</summary>
    public Uri Address => new(ListeningLine["listening on ".Length..]);

    /// <summary>Everything it wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _child.HasExited;

    /// <summary>Its exit code, once it has ended.</summary>
    public int ExitCode => _child.ExitCode;

    /// <summary>Starts <c>myna serve</c> with <paramref name="arguments"/> and waits up to a minute for it to listen.</summary>
    public static async Task<ServeProcess> StartAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        string dll = typeof(MynaApp).Assembly.Location;
        Assert.True(File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json")), $"no runtimeconfig beside {dll}");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("serve");
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach ((string name, string value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        ChildSignals.RestoreInterrupt(start); // tests interrupt it

        var server = new ServeProcess(new Process { StartInfo = start });
        server._child.OutputDataReceived += (_, e) => server.Append(e.Data);
        server._child.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server._child.Start();
        server._child.BeginOutputReadLine();
        server._child.BeginErrorReadLine();

        var clock = Stopwatch.StartNew();
        while (server.ListeningLine.Length == 0 && !server.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            server.ListeningLine = server.Output.Split('\n').FirstOrDefault(l => l.StartsWith("listening on ", StringComparison.Ordinal))?.Trim() ?? "";
            if (server.ListeningLine.Length == 0) await Task.Delay(20);
        }
        if (server.ListeningLine.Length == 0)
        {
            server.Dispose();
            Assert.Fail($"myna serve did not start: {server.Output}");
        }
        return server;
    }

    /// <summary>Sends <paramref name="signal"/> (INT, TERM) to the process, as Ctrl+C or a container runtime does.</summary>
    public async Task SignalAsync(string signal)
    {
        using Process kill = Process.Start("kill", [$"-{signal}", _child.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to end.</summary>
    public bool WaitForExit(TimeSpan timeout) => _child.WaitForExit(timeout);

    public void Dispose()
    {
        if (!_child.HasExited) _child.Kill();
        _child.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
