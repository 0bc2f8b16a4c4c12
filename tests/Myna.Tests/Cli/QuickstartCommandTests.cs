namespace Myna.Tests.Cli;

public class QuickstartCommandTests
{
    [Fact]
    public void TokenizesTheSeedPromptForRealAndRoundTripsEverySample()
    {
        CliRun run = CliRun.Of("quickstart");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        Assert.Contains("15496,11,314,716,257,1720,4706,13", run.Output.Replace("\n", "").Replace("│", "").Replace(" ", ""));
        Assert.DoesNotContain("differs", run.Output);
        Assert.Contains("myna tokenize", run.Output);
    }
}
