namespace Myna.Tests.Cli;

/// <summary>Count options that would run away with memory or time are bounded, with the bound in the message.</summary>
public class BoundedOptionTests
{
    [Fact]
    public void AnAbsurdNgramOrderIsAUsageError()
    {
        CliRun run = CliRun.Of("eval", "bleu", "--hyp", "x", "--ref", "y", "--max-ngram-order", "1000000000");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("1 to 100", run.Error);
    }

    [Fact]
    public void AnAbsurdBootstrapIsAUsageError()
    {
        CliRun run = CliRun.Of("eval", "rouge", "--hyp", "x", "--ref", "y", "--bootstrap", "2000000000");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("at most 1,000,000", run.Error);
    }

    [Fact]
    public void AnEmptySpecialTokenIsRefusedInOneCleanLine()
    {
        using var dir = new Myna.Tests.Text.TempFolder();
        string corpus = dir.Write("c.txt", "some text to train a tokenizer on, enough for a few merges.");
        CliRun run = CliRun.Of("tokenizer", "train", "--input", corpus, "--vocab-size", "300", "--special", "", "--out", Path.Combine(dir.Path, "tok"));
        Assert.Equal(1, run.ExitCode);
        string line = Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("error: a special token (--special) may not be empty: it would match at every position of every text.", line);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "tok")));
    }
}
