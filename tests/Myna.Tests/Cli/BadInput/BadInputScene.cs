using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Myna.Cli;
using Myna.Text.Corpus;
using Myna.Tests.Generation;
using Myna.Tests.Training;

namespace Myna.Tests.Cli.BadInput;

/// <summary>
/// One bad-input case's world: a fresh folder with what the case needs (text, gzip, a tiny model, shards), a snapshot of
/// every file in it to prove that nothing outside the output location changed, and the two ways to run myna: in
/// process, or as a child process under a memory limit with its peak resident memory measured.
/// </summary>
internal sealed class BadInputScene : IDisposable
{
    public BadInputScene() => Root = Directory.CreateTempSubdirectory("myna-bad-").FullName;

    public string Root { get; }

    public string PathOf(string relative) => System.IO.Path.Combine(Root, relative);

    public string Text(string relative, string text)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string Bytes(string relative, byte[] bytes)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>A gzip file of <paramref name="write"/>'s output, streamed (so a huge member costs no memory here).</summary>
    public string Gzip(string relative, Action<Stream> write)
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        using FileStream file = File.Create(path);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        write(gzip);
        return path;
    }

    /// <summary>A small random GPT-2 with a byte-level tokenizer under <paramref name="relative"/>.</summary>
    public string TinyModel(string relative = "model")
    {
        string path = PathOf(relative);
        Directory.CreateDirectory(path);
        using var model = new TinyModelDirectory();
        foreach (string file in Directory.GetFiles(model.Path)) File.Copy(file, System.IO.Path.Combine(path, System.IO.Path.GetFileName(file)));
        return path;
    }

    /// <summary>Token shards of a 32-token Markov chain, as <c>myna shard</c> lays them out.</summary>
    public string Shards(string relative = "shards")
    {
        string path = PathOf(relative);
        SyntheticShards.Create(path);
        return path;
    }

    /// <summary>Every file and link under the scene with its content hash (or link target), except under <paramref name="outputs"/>.</summary>
    public Dictionary<string, string> Snapshot(params string[] outputs)
    {
        string[] excluded = outputs.Select(o => System.IO.Path.GetFullPath(o)).ToArray();
        var entries = new Dictionary<string, string>();
        foreach (string entry in Directory.EnumerateFileSystemEntries(Root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
        {
            string full = System.IO.Path.GetFullPath(entry);
            if (excluded.Any(o => full == o || full.StartsWith(o + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal))) continue;
            entries[full] = FileKinds.Of(full, followLinks: false) switch
            {
                FileKind.SymbolicLink => "link:" + new FileInfo(full).LinkTarget,
                FileKind.Directory => "dir",
                FileKind.Regular => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(full))),
                _ => "special",
            };
        }
        return entries;
    }

    /// <summary>Runs myna in this process.</summary>
    public static CliRun Run(params string[] args) => CliRun.Of(args);

    /// <summary>
    /// Runs myna as a child process whose managed heap is capped at <paramref name="heapLimitBytes"/> (the runtime's
    /// GCHeapHardLimit: allocations beyond it fail, and the memory myna believes it has shrinks to it), killed after
    /// <paramref name="timeout"/>. Returns the run and the peak resident memory the kernel saw (VmHWM).
    /// </summary>
    public (CliRun Run, long PeakBytes, bool TimedOut) RunChild(long heapLimitBytes, TimeSpan timeout, params string[] args)
    {
        string dll = typeof(MynaApp).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Root };
        start.ArgumentList.Add(dll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["DOTNET_GCHeapHardLimit"] = heapLimitBytes.ToString("X", CultureInfo.InvariantCulture);
        start.Environment["MYNA_CRASH_DIR"] = PathOf("crash");
        using Process child = Process.Start(start)!;
        Task<string> output = child.StandardOutput.ReadToEndAsync();
        Task<string> error = child.StandardError.ReadToEndAsync();
        long peak = 0;
        var clock = Stopwatch.StartNew();
        bool timedOut = false;
        while (!child.WaitForExit(20))
        {
            peak = Math.Max(peak, PeakResidentBytes(child.Id));
            if (clock.Elapsed > timeout)
            {
                timedOut = true;
                child.Kill(entireProcessTree: true);
                child.WaitForExit();
                break;
            }
        }
        return (new CliRun(child.ExitCode, output.Result, error.Result), peak, timedOut);
    }

    /// <summary>VmHWM of a running process in bytes (0 once it has gone).</summary>
    private static long PeakResidentBytes(int pid)
    {
        try
        {
            string? line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>What every bad input must end in: the expected exit code and, for a failure, one <c>error:</c> line and no trace.</summary>
internal static class BadInputAssert
{
    public static void OneLineError(CliRun run, int exitCode, string expected)
    {
        Assert.True(run.ExitCode == exitCode, $"exit {run.ExitCode}, expected {exitCode}; stderr: {run.Error}");
        string[] lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one error line, got {lines.Length}: {run.Error}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(expected, lines[0]);
        NoTrace(run);
    }

    public static void Succeeded(CliRun run)
    {
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}; stderr: {run.Error}");
        NoTrace(run);
    }

    public static void NoTrace(CliRun run)
    {
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("   at ", run.Output);
        Assert.DoesNotContain("Unhandled exception", run.Error);
    }
}
