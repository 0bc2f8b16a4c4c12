using Myna.Cli;

namespace Myna.Tests.Cli;

public class CliErrorTests
{
    [Fact]
    public void UnknownOptionIsOneLineErrorWithExitCode2()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = MynaApp.Run(["--no-such-option"], output, error);
        Assert.Equal(MynaApp.UsageError, code);
        string[] lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains("--no-such-option", lines[0]);
    }
}
