using System.IO.Compression;
using System.Text;
using Myna.Text.Corpus;

namespace Myna.Tests.Text.Corpus;

/// <summary>Reading stays bounded by the document ceiling whatever a file holds, and damaged CSV rows do not swallow others.</summary>
public class BoundedReadingTests
{
    [Fact]
    public void LinesAreSplitExactlyAsReadLineSplitsThemWhenUnderTheCeiling()
    {
        var random = new Random(17);
        string[] pieces = ["a", "bc", "\n", "\r\n", "\r", "", " x ", "\n\n", "中文"];
        for (int trial = 0; trial < 300; trial++)
        {
            string text = string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
            var expected = new List<string>();
            using (var reference = new StringReader(text))
                for (string? line; (line = reference.ReadLine()) is not null;) expected.Add(line);

            var actual = new List<string>();
            var bounded = new BoundedLineReader(new StringReader(text), maxChars: 1000);
            while (bounded.TryReadLine(out string? line, out long overlong))
            {
                Assert.Equal(0, overlong);
                actual.Add(line!);
            }
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void ALineOverTheCeilingIsReportedByLengthAndTheNextLineIsIntact()
    {
        string text = "short\n" + new string('x', 50_000) + "\r\nafter\n";
        var bounded = new BoundedLineReader(new StringReader(text), maxChars: 1000);
        Assert.True(bounded.TryReadLine(out string? first, out _));
        Assert.Equal("short", first);
        Assert.True(bounded.TryReadLine(out string? big, out long length));
        Assert.Null(big);
        Assert.Equal(50_000, length);
        Assert.True(bounded.TryReadLine(out string? after, out _));
        Assert.Equal("after", after);
        Assert.False(bounded.TryReadLine(out _, out _));
    }

    [Fact]
    public void AHugeLineInATinyGzipIsSkippedWithoutBeingHeldInMemory()
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "bomb.jsonl.gz");
        const int hugeChars = 48 << 20;
        using (var file = File.Create(path))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            gzip.Write("{\"text\": \"ok document before the bomb\"}\n{\"text\": \""u8);
            byte[] block = Encoding.ASCII.GetBytes(new string('a', 1 << 20));
            for (int i = 0; i < hugeChars >> 20; i++) gzip.Write(block);
            gzip.Write("\"}\n{\"text\": \"ok document after the bomb\"}\n"u8);
        }
        var reader = new CorpusReader(new CorpusOptions { MaxDocumentChars = 1 << 20 });
        var skipped = new List<SkippedInput>();
        reader.Skipped += skipped.Add;

        long before = GC.GetAllocatedBytesForCurrentThread();
        List<Document> documents = reader.ReadFile(path).ToList();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(["ok document before the bomb", "ok document after the bomb"], documents.Select(d => d.Text));
        SkippedInput skip = Assert.Single(skipped);
        Assert.Equal(2, skip.Line);
        Assert.Contains("over the 1,048,576-character limit", skip.Reason);
        // The 48 Mi-character line alone would take 96 MB as a string (and more while it grows).
        Assert.True(allocated < 24L << 20, $"reading allocated {allocated:N0} bytes");
    }

    [Fact]
    public void AQuoteThatNeverClosesSkipsItsRowOnlyAndTheRowsItSwallowedAreRead()
    {
        using var dir = new TempFolder();
        string path = dir.Write("reviews.csv",
            "id,text\n" +
            "1,\"A good first review, with a comma\"\n" +
            "2,\"This one never closes its quote\n" +
            "3,A third plain review that says great\n" +
            "4,The fourth plain review\n");
        var reader = new CorpusReader(new CorpusOptions());
        var skipped = new List<SkippedInput>();
        reader.Skipped += skipped.Add;

        List<Document> documents = reader.ReadFile(path).ToList();

        Assert.Equal(
            ["A good first review, with a comma", "A third plain review that says great", "The fourth plain review"],
            documents.Select(d => d.Text));
        Assert.Equal([2L, 4L, 5L], documents.Select(d => d.Line));
        SkippedInput skip = Assert.Single(skipped);
        Assert.Equal(3, skip.Line);
        Assert.Contains("never closes", skip.Reason);
    }
}
