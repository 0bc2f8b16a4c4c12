namespace Myna.Tests.Cli;

public class CliErrorTests
{
    [Theory]
    [InlineData("--no-such-option")]
    [InlineData("tokenize", "--text", "a", "--bogus")]
    [InlineData("tokenize", "--decode", "1,x")]
    [InlineData("tokenize", "--decode", "1,-2")]
    [InlineData("tokenize")]
    [InlineData("tokenize", "--text", "a", "--decode", "1")]
    [InlineData("tokenize", "--decode", "99999")]
    [InlineData("no-such-command")]
    public void UsageErrorsAreOneLineOnStderrWithExitCode2(params string[] args)
    {
        CliRun run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("", run.Output);
        string[] lines = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
    }

    [Fact]
    public void UnknownOptionIsNamed() => Assert.Contains("--no-such-option", CliRun.Of("--no-such-option").Error);

    [Theory]
    [InlineData("'--lrr'; did you mean '--lr'?", "train", "--lrr", "3")]
    [InlineData("'--max-step=3'; did you mean '--max-steps'?", "train", "--max-step=3")]
    [InlineData("'tarin'; did you mean 'train'?", "tarin")]
    [InlineData("'--modle'; did you mean '--model'?", "compare", "--modle", "m")]
    public void AMistypedOptionOrCommandSuggestsTheNearest(string expected, params string[] args)
    {
        CliRun run = CliRun.Of(args);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"unrecognized option or argument {expected}", run.Error);
    }

    [Fact]
    public void NothingIsSuggestedWhenNothingIsClose() => Assert.DoesNotContain("did you mean", CliRun.Of("train", "--temperature", "1").Error);

    [Fact]
    public void MissingTokenizerDirectoryIsAnInputErrorWithExitCode1()
    {
        CliRun run = CliRun.Of("tokenize", "--tokenizer", "/definitely/not/here", "--text", "a");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/definitely/not/here", run.Error);
    }

    [Fact]
    public void InvalidUtf8FileIsRefusedWithTheByteOffsetUnlessReplacementIsAsked()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [(byte)'a', (byte)'b', 0xFF, (byte)'c']);
            CliRun strict = CliRun.Of("tokenize", "--file", path);
            Assert.Equal(1, strict.ExitCode);
            Assert.Contains("byte 2", strict.Error);

            CliRun replaced = CliRun.Of("tokenize", "--file", path, "--replace-invalid", "--json");
            Assert.Equal(0, replaced.ExitCode);
            Assert.Equal("{\"ids\":[397,4210,66]}", replaced.Output.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void CommandsWithoutReplaceInvalidDoNotSuggestIt()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [(byte)'a', (byte)'b', 0xFF, (byte)'c']);
            CliRun run = CliRun.Of("eval", "ppl", "--data", path);
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("byte 2", run.Error);
            Assert.DoesNotContain("--replace-invalid", run.Error);
            Assert.Contains("iconv", run.Error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void BareCommandShowsHelpListingEveryCommand()
    {
        CliRun run = CliRun.Of();
        Assert.Equal(0, run.ExitCode);
        foreach (string command in new[] { "quickstart", "tokenize", "bench" }) Assert.Contains(command, run.Output);
    }

    [Fact]
    public void VersionIsPrinted()
    {
        CliRun run = CliRun.Of("--version");
        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("0.1.0", run.Output.Trim());
    }
}
