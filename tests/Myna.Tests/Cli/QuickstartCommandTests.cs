using Myna.Cli.Commands;
using Myna.Tests.Generation;

namespace Myna.Tests.Cli;

public class QuickstartCommandTests(TinyModelDirectory model) : IClassFixture<TinyModelDirectory>
{
    [Fact]
    public void GeneratesForEveryPromptAndShowsTheNextSteps()
    {
        CliRun run = CliRun.Of("quickstart", "--model", model.Path);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Error);
        foreach (string prompt in QuickstartCommand.Prompts) Assert.Contains("prompt: " + prompt, run.Output);
        Assert.Contains("tokens generated at", run.Output);
        Assert.Contains("myna generate", run.Output);
    }

    [Fact]
    public void SameOutputEveryRun()
    {
        // The two lines with timings differ between runs (they are written unwrapped); everything else must not.
        string Text(CliRun r) => string.Join('\n', r.Output.Split('\n').Where(l => !l.Contains("loaded in") && !l.Contains("tokens generated at")));
        Assert.Equal(Text(CliRun.Of("quickstart", "--model", model.Path)), Text(CliRun.Of("quickstart", "--model", model.Path)));
    }
}
