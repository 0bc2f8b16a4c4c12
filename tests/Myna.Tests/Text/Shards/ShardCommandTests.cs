using Myna.Cli;

namespace Myna.Tests.Text.Shards;

public class ShardCommandTests
{
    [Fact]
    public void UserErrorsAreOneLineWithTheRightExitCode()
    {
        using var dir = new TempFolder();
        dir.Write("clean/part-00000.jsonl", "{\"text\":\"hello world\"}\n");
        string clean = Path.Combine(dir.Path, "clean"), outDir = Path.Combine(dir.Path, "out");

        var stderr = new StringWriter();
        Assert.Equal(MynaApp.Failure, MynaApp.Run(["shard", "--input", clean, "--tokenizer", Path.Combine(dir.Path, "nope"), "--out", outDir], new StringWriter(), stderr));
        Assert.Single(stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));

        Assert.Equal(MynaApp.UsageError, MynaApp.Run(["shard", "--input", clean, "--tokenizer", "gpt2", "--out", outDir, "--val-fraction", "1.5"], new StringWriter(), new StringWriter()));
        Assert.Equal(MynaApp.Failure, MynaApp.Run(["shard", "--input", Path.Combine(dir.Path, "missing"), "--tokenizer", "gpt2", "--out", outDir], new StringWriter(), new StringWriter()));
        Assert.Equal(MynaApp.Failure, MynaApp.Run(["tokenizer", "train", "--input", Path.Combine(dir.Path, "missing"), "--vocab-size", "300", "--out", outDir], new StringWriter(), new StringWriter()));
    }

    [Fact]
    public void Gpt2ShardsWithSummaryTable()
    {
        using var dir = new TempFolder();
        dir.Write("clean/part-00000.jsonl", string.Concat(Enumerable.Range(0, 50).Select(i => $"{{\"text\":\"document {i} says hello\"}}\n")));
        var stdout = new StringWriter();
        int code = MynaApp.Run(["shard", "-i", Path.Combine(dir.Path, "clean"), "-t", "gpt2", "-o", Path.Combine(dir.Path, "out"), "--val-fraction", "0.2"], stdout, new StringWriter());
        Assert.Equal(0, code);
        Assert.Contains("train", stdout.ToString());
        Assert.Contains("16-bit tokens, vocabulary 50,257", stdout.ToString());
        Assert.True(File.Exists(Path.Combine(dir.Path, "out", "meta.json")));
    }
}
