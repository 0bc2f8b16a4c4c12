namespace Myna.Cli;

/// <summary>A failure to report to the user as one line on stderr with the given exit code, without a stack trace.</summary>
public sealed class CliException(string message, int exitCode = MynaApp.Failure, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The process exit code to return.</summary>
    public int ExitCode { get; } = exitCode;
}
