using System.Globalization;
using System.Text;
using Myna.Models.Checkpoints;
using Myna.Text.Tokenization;
using Myna.Training;

namespace Myna.Cli;

/// <summary>
/// How a command that threw is reported: the whole family of failures a user can cause becomes one <c>error:</c> line
/// with exit code 1; anything else is a bug in Myna, reported in one line that points to a crash log holding the
/// trace. Nothing reaches the terminal as a raw stack trace.
/// </summary>
public static class FailureReport
{
    /// <summary>Exit code for a failure that is a bug in Myna (sysexits' EX_SOFTWARE), so scripts can tell it from bad input.</summary>
    public const int InternalError = 70;

    /// <summary>Exit code after Ctrl+C or another cancellation (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;

    /// <summary>
    /// Whether <paramref name="error"/> is something the user can cause and fix: a bad file or folder, bad data in it,
    /// an option the library refused, or too little memory for what was asked. Libraries signal these with the BCL's
    /// own types (<see cref="IOException"/>, <see cref="InvalidDataException"/>, <see cref="ArgumentException"/>) or
    /// Myna's format exceptions; everything else (a null dereference, an index out of range, a broken invariant) is ours.
    /// </summary>
    public static bool IsUserCaused(Exception error) => error switch
    {
        CliException or TrainingOptionsException => true,
        ModelFormatException or SafeTensorsFormatException or TokenizerFormatException => true,
        InvalidDataException or DecoderFallbackException => true,
        // A null argument is always a programming error; other argument errors carry the option's own message.
        ArgumentNullException => false,
        ArgumentException => true,
        IOException or UnauthorizedAccessException => true,
        InsufficientMemoryException or OutOfMemoryException => true,
        _ => false,
    };

    /// <summary>Writes the report of <paramref name="error"/> to <paramref name="stderr"/> and returns the exit code.</summary>
    public static int Report(Exception error, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(stderr);
        error = Unwrap(error);
        switch (error)
        {
            case CliException cli:
                stderr.WriteLine($"error: {OneLine(cli.Message)}");
                return cli.ExitCode;
            case TrainingOptionsException options:
                stderr.WriteLine($"error: {OneLine(options.Message)}");
                return options.IsUsage ? MynaApp.UsageError : MynaApp.Failure;
            case OperationCanceledException:
                stderr.WriteLine("error: cancelled.");
                return Cancelled;
            case OutOfMemoryException or InsufficientMemoryException:
                stderr.WriteLine($"error: out of memory ({OneLine(error.Message)}); ask for less (a smaller --batch-size, --seq-len, model or input) or free memory. " +
                    $"This machine has {FormatBytes(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes)} available to .NET.");
                return MynaApp.Failure;
        }
        if (IsUserCaused(error))
        {
            // An ArgumentException's message ends with " (Parameter 'name')", the C# name: noise to a user.
            string message = error is ArgumentException { ParamName: { } name } argument
                ? argument.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal)
                : error.Message;
            stderr.WriteLine($"error: {OneLine(message)}");
            return MynaApp.Failure;
        }
        string? log = TryWriteCrashLog(error);
        string where = log is null ? "the crash log could not be written" : $"details in {log}";
        stderr.WriteLine($"error: internal error, a bug in Myna ({error.GetType().Name}: {OneLine(error.Message)}); {where}. Please report it with that file.");
        return InternalError;
    }

    /// <summary>
    /// Writes the full trace to a new file under <c>MYNA_CRASH_DIR</c>, else the system's temporary folder (never next
    /// to the user's data: nobody asked for a file there). Returns its path, or null when it could not be written.
    /// </summary>
    public static string? TryWriteCrashLog(Exception error)
    {
        try
        {
            string folder = Environment.GetEnvironmentVariable("MYNA_CRASH_DIR") is { Length: > 0 } configured
                ? configured
                : Path.Combine(Path.GetTempPath(), "myna-crash");
            Directory.CreateDirectory(folder);
            string name = string.Create(CultureInfo.InvariantCulture, $"crash-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}.log");
            string path = Path.Combine(folder, name);
            var text = new StringBuilder()
                .AppendLine(CultureInfo.InvariantCulture, $"myna {MynaApp.Version}")
                .AppendLine(CultureInfo.InvariantCulture, $"time (UTC): {DateTime.UtcNow:O}")
                .AppendLine(CultureInfo.InvariantCulture, $"command line: {Environment.CommandLine}")
                .AppendLine(CultureInfo.InvariantCulture, $"runtime: {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription} on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}")
                .AppendLine()
                .AppendLine(error.ToString());
            // CreateNew: a crash log never replaces a file (the folder may be shared, or hold a planted link).
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            using var writer = new StreamWriter(stream, new UTF8Encoding(false));
            writer.Write(text.ToString());
            return path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>The failure itself, not the wrappers that parallel loops and tasks put around it.</summary>
    private static Exception Unwrap(Exception error)
    {
        while (true)
        {
            switch (error)
            {
                case AggregateException { InnerExceptions.Count: 1 } aggregate:
                    error = aggregate.InnerExceptions[0];
                    continue;
                case System.Reflection.TargetInvocationException { InnerException: { } inner }:
                    error = inner;
                    continue;
                case TypeInitializationException { InnerException: { } inner }:
                    error = inner;
                    continue;
                default:
                    return error;
            }
        }
    }

    private static string OneLine(string message) =>
        string.Join(" ", message.Split(['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries).Select(part => part.Trim())).TrimEnd();

    private static string FormatBytes(long bytes) => bytes >= 1L << 30
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB")
        : string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0} MiB");
}
