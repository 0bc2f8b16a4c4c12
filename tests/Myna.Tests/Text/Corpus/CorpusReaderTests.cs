using System.IO.Compression;
using System.Text;
using Myna.Text.Corpus;
using Parquet;
using Parquet.Schema;

namespace Myna.Tests.Text.Corpus;

public class CorpusReaderTests
{
    private static (List<Document> Docs, List<SkippedInput> Skips) ReadAll(CorpusOptions options, params string[] paths)
    {
        var reader = new CorpusReader(options);
        var skips = new List<SkippedInput>();
        reader.Skipped += skips.Add;
        return (reader.Read(paths).ToList(), skips);
    }

    [Fact]
    public void TextFileIsOneDocumentOrOneDocumentPerParagraph()
    {
        using var dir = new TempFolder();
        string file = dir.Write("a.txt", "First para\nstill first.\n\n\nSecond para.\r\n  \r\nThird.\n");
        var (whole, _) = ReadAll(new CorpusOptions(), file);
        Assert.Single(whole);
        Assert.Equal(1, whole[0].Line);

        var (paras, skips) = ReadAll(new CorpusOptions { SplitParagraphs = true }, file);
        Assert.Empty(skips);
        Assert.Equal(["First para\nstill first.", "Second para.", "Third."], paras.Select(d => d.Text));
        Assert.Equal([1L, 5L, 7L], paras.Select(d => d.Line));
        Assert.All(paras, d => Assert.Equal(file, d.Source));
    }

    [Fact]
    public void JsonLinesUsesTheChosenFieldAndReportsBadLines()
    {
        using var dir = new TempFolder();
        string file = dir.Write("a.jsonl", "{\"text\":\"one\",\"body\":\"uno\"}\n\n{not json}\n{\"body\":\"dos\"}\n{\"body\":7}\n");
        var (docs, skips) = ReadAll(new CorpusOptions(), file);
        Assert.Equal(["one"], docs.Select(d => d.Text));
        Assert.Equal([3L, 4L, 5L], skips.Select(s => s.Line));

        var (bodies, _) = ReadAll(new CorpusOptions { TextField = "body" }, file);
        Assert.Equal(["uno", "dos"], bodies.Select(d => d.Text));
        Assert.Equal([1L, 4L], bodies.Select(d => d.Line));
    }

    [Fact]
    public void CsvFollowsRfc4180Quoting()
    {
        using var dir = new TempFolder();
        string file = dir.Write("a.csv", "id,text\r\n1,plain\r\n2,\"with, comma\"\r\n3,\"multi\nline \"\"quoted\"\"\"\r\n4,last\r\n");
        var (docs, skips) = ReadAll(new CorpusOptions(), file);
        Assert.Empty(skips);
        Assert.Equal(["plain", "with, comma", "multi\nline \"quoted\"", "last"], docs.Select(d => d.Text));
        Assert.Equal([2L, 3L, 4L, 6L], docs.Select(d => d.Line));
    }

    [Fact]
    public void TsvAndMissingColumn()
    {
        using var dir = new TempFolder();
        string tsv = dir.Write("a.tsv", "text\tlabel\nhello world\tpos\n");
        string csv = dir.Write("b.csv", "body,label\nx,y\n");
        var (docs, skips) = ReadAll(new CorpusOptions(), tsv, csv);
        Assert.Equal(["hello world"], docs.Select(d => d.Text));
        Assert.Single(skips);
        Assert.Contains("no column 'text'", skips[0].Reason);
        Assert.True(skips[0].IsFile);
    }

    [Fact]
    public void MarkdownLosesSyntaxKeepsWords()
    {
        using var dir = new TempFolder();
        string file = dir.Write("a.md", "# Title\n\nSome **bold** and [a link](http://x.y) and `code`.\n\n- item one\n- item two\n\n```\nvar x = 1;\n```\n");
        var (docs, _) = ReadAll(new CorpusOptions(), file);
        string text = Assert.Single(docs).Text;
        Assert.Contains("Title", text);
        Assert.Contains("Some bold and a link and code.", text);
        Assert.Contains("item one", text);
        Assert.Contains("var x = 1;", text);
        Assert.DoesNotContain("#", text);
        Assert.DoesNotContain("http://x.y", text);
        Assert.DoesNotContain("```", text);
    }

    [Fact]
    public void HtmlGivesVisibleTextOnly()
    {
        using var dir = new TempFolder();
        string file = dir.Write("a.html",
            "<html><head><title>T</title><style>p{color:red}</style><script>var secret=1;</script></head>" +
            "<body><h1>Heading</h1><p>First <b>para</b>.</p><noscript>enable js</noscript><div hidden>gone</div><p>Second.</p>" +
            "<script>alert('x')</script></body></html>");
        var (docs, _) = ReadAll(new CorpusOptions(), file);
        string text = Assert.Single(docs).Text;
        Assert.Contains("Heading", text);
        Assert.Contains("First para.", text);
        Assert.Contains("Second.", text);
        foreach (string hidden in new[] { "secret", "color", "alert", "enable js", "gone" })
            Assert.DoesNotContain(hidden, text);
    }

    [Fact]
    public async Task ParquetStringColumnPlainAndGzipped()
    {
        using var dir = new TempFolder();
        string file = Path.Combine(dir.Path, "a.parquet");
        var field = new DataField<string>("text");
        var id = new DataField<int>("id");
        await using (var stream = File.Create(file))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, field), stream))
        {
            for (int g = 0; g < 2; g++)
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(id, new ReadOnlyMemory<int>([g * 2, g * 2 + 1]));
                await group.WriteAsync(field, new[] { $"row {g * 2}", $"row {g * 2 + 1}" });
            }
        }
        string gz = file + ".gz";
        using (var input = File.OpenRead(file))
        using (var output = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
            input.CopyTo(output);

        var (docs, skips) = ReadAll(new CorpusOptions(), file, gz);
        Assert.Empty(skips);
        Assert.Equal(["row 0", "row 1", "row 2", "row 3", "row 0", "row 1", "row 2", "row 3"], docs.Select(d => d.Text));
        Assert.Equal([1L, 2L, 3L, 4L], docs.Take(4).Select(d => d.Line));

        var (_, missing) = ReadAll(new CorpusOptions { TextField = "content" }, file);
        Assert.Contains("no column 'content'", Assert.Single(missing).Reason);
    }

    [Fact]
    public void FoldersRecurseInOrderAndGzipIsTransparent()
    {
        using var dir = new TempFolder();
        dir.Write("b/z.txt", "zed");
        dir.Write("a.txt", "ay");
        byte[] jsonl = Encoding.UTF8.GetBytes("{\"text\":\"zipped\"}\n");
        using (var buffer = new MemoryStream())
        {
            using (var gz = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(jsonl);
            dir.WriteBytes("b/c.jsonl.gz", buffer.ToArray());
        }
        var (docs, skips) = ReadAll(new CorpusOptions(), dir.Path);
        Assert.Empty(skips);
        Assert.Equal(["ay", "zipped", "zed"], docs.Select(d => d.Text));
    }

    [Fact]
    public void BadFilesAreReportedNotThrown()
    {
        using var dir = new TempFolder();
        string binary = dir.WriteBytes("img.txt", [0x89, 0x50, 0x4E, 0x47, 0x00, 0x00, 0x01, 0x02]);
        string latin1 = dir.WriteBytes("latin.txt", [.. Encoding.UTF8.GetBytes("caf"), 0xE9, (byte)'\n']);
        string fakeGz = dir.WriteBytes("x.txt.gz", Encoding.UTF8.GetBytes("not gzip at all"));
        string fakeParquet = dir.Write("y.parquet", "nope");
        string unknown = dir.Write("z.exe", "MZ");
        string missing = Path.Combine(dir.Path, "missing.txt");
        string good = dir.Write("ok.txt", "fine");

        var (docs, skips) = ReadAll(new CorpusOptions(), binary, latin1, fakeGz, fakeParquet, unknown, missing, good);
        Assert.Equal(["fine"], docs.Select(d => d.Text));
        Assert.Equal(6, skips.Count);
        Assert.All(skips, s => Assert.True(s.IsFile));
        Assert.Contains("binary", skips[0].Reason);
        Assert.Contains("UTF-8", skips[1].Reason);
        Assert.Contains("gzip", skips[2].Reason);
        Assert.Contains("unsupported", skips[4].Reason);
        Assert.Contains("no such file", skips[5].Reason);
    }

    [Fact]
    public void Utf16WithByteOrderMarkIsDecoded()
    {
        using var dir = new TempFolder();
        string file = dir.WriteBytes("u16.txt", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("你好 world")]);
        var (docs, skips) = ReadAll(new CorpusOptions(), file);
        Assert.Empty(skips);
        Assert.Equal("你好 world", Assert.Single(docs).Text);
    }

    [Fact]
    public void AStrayBadByteLaterInAUtf8FileCostsOnlyItsDocument()
    {
        using var dir = new TempFolder();
        byte[] good = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("A valid paragraph of plain text.\n\n", 400)));
        string file = dir.WriteBytes("mostly.txt", [.. good, .. Encoding.ASCII.GetBytes("caf"), 0xE9, .. Encoding.ASCII.GetBytes("\n\nlast paragraph\n")]);
        var (docs, skips) = ReadAll(new CorpusOptions { SplitParagraphs = true }, file);
        Assert.Empty(skips);
        Assert.Equal(402, docs.Count);
        Assert.Equal("caf\uFFFD", docs[400].Text);
        Assert.Equal("last paragraph", docs[401].Text);
        Assert.Equal(Myna.Text.Cleaning.DropReason.InvalidEncoding,
            new Myna.Text.Cleaning.QualityFilter(new Myna.Text.Cleaning.CleaningOptions()).Check("a sentence long enough \uFFFD to pass", out _));
    }

    [Fact]
    public void Gb18030ChineseIsDetected()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        using var dir = new TempFolder();
        const string text = "今天天气很好，我们一起去公园散步吧。GBK 编码的文件很常见。";
        string file = dir.WriteBytes("gbk.txt", Encoding.GetEncoding("GB18030").GetBytes(text));
        var (docs, skips) = ReadAll(new CorpusOptions(), file);
        Assert.Empty(skips);
        Assert.Equal(text, Assert.Single(docs).Text);
    }

    [Fact]
    public void ReadingStreamsRatherThanLoadingWholeFiles()
    {
        using var dir = new TempFolder();
        string file = Path.Combine(dir.Path, "big.txt");
        using (var writer = new StreamWriter(file))
            for (int i = 0; i < 200_000; i++) writer.Write($"paragraph {i} with some words in it\n\n");
        long size = new FileInfo(file).Length;

        var reader = new CorpusReader(new CorpusOptions { SplitParagraphs = true });
        using IEnumerator<Document> docs = reader.Read([file]).GetEnumerator();
        Assert.True(docs.MoveNext());
        Assert.Equal("paragraph 0 with some words in it", docs.Current.Text);
        Assert.True(reader.BytesRead < size / 10, $"read {reader.BytesRead} of {size} bytes for the first paragraph");
    }
}
