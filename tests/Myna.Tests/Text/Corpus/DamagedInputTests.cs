using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Myna.Text.Corpus;
using Myna.Text.Preparation;

namespace Myna.Tests.Text.Corpus;

/// <summary>Input that is damaged or not a file at all: every byte accounted for, nothing hangs, nothing cut is kept.</summary>
public class DamagedInputTests
{
    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return buffer.ToArray();
    }

    private static string Lines(int count, int from = 0) => string.Concat(Enumerable.Range(from, count).Select(i =>
        $"{{\"text\": \"Document {i} tells a story about the quick brown fox number {i * 7919 % 10007} and the lazy dog.\"}}\n"));

    private static PrepareReport Prepare(TempFolder dir, string input) =>
        new CorpusPreparer(new PrepareOptions { Inputs = [input], OutputDirectory = Path.Combine(dir.Path, "out-" + Guid.NewGuid().ToString("N")[..6]) }).Run();

    [Fact]
    public void ATruncatedGzipIsReportedAndItsLastCutDocumentDropped()
    {
        using var dir = new TempFolder();
        byte[] whole = Gzip(Lines(3000));
        dir.WriteBytes("in/cut.jsonl.gz", whole[..(whole.Length * 2 / 3)]);

        PrepareReport report = Prepare(dir, Path.Combine(dir.Path, "in"));

        Assert.Equal(1, report.FilesRead);
        Assert.Equal(1, report.FilesCutShort);
        Assert.Equal(0, report.FilesSkipped);
        Assert.Equal(1, report.Dropped["truncated"]);
        Assert.InRange(report.DocumentsRead, 1000, 2999);
        Assert.Equal(report.DocumentsRead, report.DocumentsKept + report.Dropped.Values.Sum());
        var skip = Assert.Single(report.Skipped);
        Assert.Contains("truncated", skip.Reason);
        Assert.EndsWith("cut.jsonl.gz", skip.Source);
    }

    [Fact]
    public void AGzipTooShortToHoldAnythingIsCountedAsSkipped()
    {
        using var dir = new TempFolder();
        dir.WriteBytes("in/stub.jsonl.gz", Gzip(Lines(100))[..20]);
        dir.Write("in/good.jsonl", Lines(3, 500));

        PrepareReport report = Prepare(dir, Path.Combine(dir.Path, "in"));

        Assert.Equal(1, report.FilesRead);
        Assert.Equal(1, report.FilesSkipped);
        Assert.Equal(3, report.DocumentsRead);
        Assert.Contains("gzip", Assert.Single(report.Skipped).Reason);
    }

    [Fact]
    public void AGzipOfSeveralMembersIsReadWholeWithoutComplaint()
    {
        using var dir = new TempFolder();
        dir.WriteBytes("in/multi.jsonl.gz", [.. Gzip(Lines(40)), .. Gzip(Lines(40, 40))]);

        PrepareReport report = Prepare(dir, Path.Combine(dir.Path, "in"));

        Assert.Equal(80, report.DocumentsRead);
        Assert.Empty(report.Skipped);
        Assert.Equal(0, report.Dropped["truncated"]);
    }

    [Fact]
    public async Task LinksToFoldersAndPipesAreSkippedNotFollowedOrOpened()
    {
        if (!OperatingSystem.IsLinux()) return; // FIFOs are made with mkfifo; CI and the supported servers are Linux
        using var dir = new TempFolder();
        string input = Path.Combine(dir.Path, "in");
        dir.Write("in/a.txt", "A plain document with enough characters in it to pass every quality filter.");
        Directory.CreateDirectory(Path.Combine(input, "sub"));
        Directory.CreateSymbolicLink(Path.Combine(input, "sub", "loop"), input);
        File.CreateSymbolicLink(Path.Combine(input, "sub", "b.txt"), Path.Combine(input, "a.txt"));
        using (Process mkfifo = Process.Start("mkfifo", Path.Combine(input, "pipe.txt"))!) mkfifo.WaitForExit();

        var reader = new CorpusReader(new CorpusOptions());
        var skipped = new List<SkippedInput>();
        reader.Skipped += skipped.Add;
        var read = Task.Run(() => reader.Read([input]).ToList());
        Assert.Same(read, await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(20))));
        Assert.Equal(2, (await read).Count); // a.txt, and sub/b.txt through its link to a regular file
        Assert.Contains(skipped, s => s.Source.EndsWith("pipe.txt", StringComparison.Ordinal) && s.Reason.Contains("pipe", StringComparison.Ordinal));
        Assert.Contains(skipped, s => s.Source.EndsWith("loop", StringComparison.Ordinal) && s.Reason.Contains("link to a folder", StringComparison.Ordinal));
        Assert.Equal(FileKind.Special, FileKinds.Of(Path.Combine(input, "pipe.txt"), followLinks: true));
        Assert.Equal(FileKind.SymbolicLink, FileKinds.Of(Path.Combine(input, "sub", "loop"), followLinks: false));
        Assert.Equal(FileKind.Regular, FileKinds.Of(Path.Combine(input, "a.txt"), followLinks: false));
        Assert.Equal(FileKind.Special, FileKinds.Of("/dev/null", followLinks: true));
    }
}
