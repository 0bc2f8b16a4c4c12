using Myna.Text.Output;
using Myna.Text.Preparation;

namespace Myna.Tests.Text.Output;

public class OutputFolderTests
{
    private static PrepareOptions Options(string input, string output, bool force = false) =>
        new() { Inputs = [input], OutputDirectory = output, ReplaceOutput = force };

    [Fact]
    public void ANonEmptyOutputIsRefusedUnlessReplacedAndThenHoldsOnlyThisRunsFiles()
    {
        using var dir = new TempFolder();
        string input = dir.Write("in.txt", "A plain document with enough characters in it to pass every quality filter.");
        string output = Path.Combine(dir.Path, "out");
        string stale = dir.Write("out/part-00007.jsonl", "{\"text\":\"from an earlier run\"}\n");

        var refused = Assert.Throws<IOException>(() => new CorpusPreparer(Options(input, output)).Run());
        Assert.Contains("--force", refused.Message);
        Assert.True(File.Exists(stale));

        new CorpusPreparer(Options(input, output, force: true)).Run();
        Assert.False(File.Exists(stale));
        Assert.Equal(["part-00000.jsonl", "report.json"], Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(Directory.GetDirectories(dir.Path), d => Path.GetFileName(d).StartsWith('.'));
    }

    [Fact]
    public void AnOutputInsideTheInputOrAroundItIsRefusedBeforeAnythingIsWritten()
    {
        using var dir = new TempFolder();
        string input = Path.Combine(dir.Path, "corpus");
        dir.Write("corpus/a.txt", "A plain document with enough characters in it to pass every quality filter.");

        Assert.Contains("inside the input", Assert.Throws<IOException>(() => new CorpusPreparer(Options(input, Path.Combine(input, "clean"))).Run()).Message);
        Assert.Contains("the input itself", Assert.Throws<IOException>(() => new CorpusPreparer(Options(input, input)).Run()).Message);
        Assert.Contains("inside --out", Assert.Throws<IOException>(() => new CorpusPreparer(Options(Path.Combine(input, "a.txt"), input, force: true)).Run()).Message);
        Assert.False(Directory.Exists(Path.Combine(input, "clean")));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void AFailedRunLeavesTheOldOutputAsItWas()
    {
        using var dir = new TempFolder();
        string input = dir.Write("in.txt", "A plain document with enough characters in it to pass every quality filter.");
        string output = Path.Combine(dir.Path, "out");
        string old = dir.Write("out/report.json", "{}");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => new CorpusPreparer(Options(input, output, force: true)).Run(cancellationToken: cancelled.Token));
        Assert.Equal("{}", File.ReadAllText(old));
        Assert.DoesNotContain(Directory.GetFileSystemEntries(dir.Path), e => Path.GetFileName(e).StartsWith('.'));
    }

    [Fact]
    public void ALinkAtTheOutputIsReplacedNotFollowed()
    {
        using var dir = new TempFolder();
        string input = dir.Write("in.txt", "A plain document with enough characters in it to pass every quality filter.");
        string victim = Path.Combine(dir.Path, "victim");
        string kept = dir.Write("victim/keep.txt", "do not touch");
        string output = Path.Combine(dir.Path, "elsewhere", "out");
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        Directory.CreateSymbolicLink(output, victim);

        using (OutputFolder folder = OutputFolder.Begin(output, [input], replace: true))
        {
            File.WriteAllText(Path.Combine(folder.Staging, "new.txt"), "new");
            folder.Commit();
        }

        Assert.Equal("do not touch", File.ReadAllText(kept));
        Assert.Null(new DirectoryInfo(output).LinkTarget);
        Assert.True(File.Exists(Path.Combine(output, "new.txt")));
    }

    [Fact]
    public void ShardsAndTokenizersOwnTheirOutputFoldersToo()
    {
        using var dir = new TempFolder();
        string corpus = dir.Write("clean/part-00000.jsonl", string.Concat(Enumerable.Range(0, 50).Select(i => $"{{\"text\":\"document {i} about foxes and dogs\"}}\n")));
        string tokenizerOut = Path.Combine(dir.Path, "tok");
        string stale = dir.Write("tok/old-notes.txt", "mine");

        var bpe = new Myna.Text.Tokenization.Training.BpeTrainerOptions { VocabSize = 300 };
        Assert.Contains("--force", Assert.Throws<IOException>(() =>
            Myna.Text.Tokenization.Training.TokenizerTrainingRun.Run([Path.GetDirectoryName(corpus)!], tokenizerOut, bpe)).Message);
        Assert.True(File.Exists(stale));
        Myna.Text.Tokenization.Training.TokenizerTrainingRun.Run([Path.GetDirectoryName(corpus)!], tokenizerOut, bpe, replaceOutput: true);
        Assert.False(File.Exists(stale));

        var tokenizer = Myna.Text.Tokenization.GptTokenizer.FromDirectory(tokenizerOut);
        string shards = Path.Combine(dir.Path, "shards");
        dir.Write("shards/train-00009.bin", "stale shard of an earlier run");
        var options = new Myna.Text.Shards.ShardOptions { Inputs = [Path.GetDirectoryName(corpus)!], OutputDirectory = shards };
        Assert.Throws<IOException>(() => new Myna.Text.Shards.ShardBuilder(options, tokenizer).Run());
        new Myna.Text.Shards.ShardBuilder(options with { ReplaceOutput = true }, tokenizer).Run();
        Assert.False(File.Exists(Path.Combine(shards, "train-00009.bin")));
        Assert.True(File.Exists(Path.Combine(shards, "meta.json")));
    }

    [Fact]
    public void AFolderWrittenInPlaceMayHoldAnInputButNotBeOneOrLieInOne()
    {
        using var dir = new TempFolder();
        string data = Path.Combine(dir.Path, "data");
        string file = dir.Write("data/a.bin", "x");

        OutputFolder.CheckWritableFolder(dir.Path, [data]);
        OutputFolder.CheckWritableFolder(Path.Combine(dir.Path, "run"), [data]);
        Assert.Contains("the input itself", Assert.Throws<IOException>(() => OutputFolder.CheckWritableFolder(data, [data])).Message);
        Assert.Contains("inside the input", Assert.Throws<IOException>(() => OutputFolder.CheckWritableFolder(Path.Combine(data, "run"), [data])).Message);
        Assert.Contains("is a file", Assert.Throws<IOException>(() => OutputFolder.CheckWritableFolder(file, [])).Message);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "run")));
    }
}
