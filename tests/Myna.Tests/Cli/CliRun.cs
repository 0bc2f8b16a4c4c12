using Myna.Cli;

namespace Myna.Tests.Cli;

/// <summary>Runs the myna command in-process with captured output.</summary>
internal sealed record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Of(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = MynaApp.Run(args, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }
}
