using System.Text.Json;
using Myna.Cli;
using Myna.Text.Corpus;
using Myna.Text.Preparation;

namespace Myna.Tests.Text.Preparation;

public class PrepareTests
{
    [Fact]
    public void MixedCorpusIsAccountedForDocumentByDocument()
    {
        using var dir = new TempFolder();
        string raw = Path.Combine(dir.Path, "raw");
        MixedCorpus.Expected e = MixedCorpus.Write(raw);
        string outDir = Path.Combine(dir.Path, "clean");

        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = MynaApp.Run(["prepare", "--input", raw, "--out", outDir, "--split", "paragraphs", "--redact-pii", "--json"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());

        using var json = JsonDocument.Parse(stdout.ToString());
        JsonElement r = json.RootElement;
        long Dropped(string reason) => r.GetProperty("dropped").GetProperty(reason).GetInt64();
        long read = r.GetProperty("documents_read").GetInt64(), kept = r.GetProperty("documents_kept").GetInt64();
        long dropped = r.GetProperty("dropped").EnumerateObject().Sum(p => p.Value.GetInt64());

        Assert.Equal(read, kept + dropped); // nothing lost silently
        Assert.Equal(e.Read, read);
        Assert.Equal(e.Kept, kept);
        Assert.Equal(e.Exact, Dropped("exact_duplicate"));
        Assert.Equal(e.Near, Dropped("near_duplicate"));
        Assert.Equal(e.TooShort, Dropped("too_short"));
        Assert.Equal(e.SymbolRatio, Dropped("symbol_ratio"));
        Assert.Equal(e.RepeatedNgrams, Dropped("repeated_ngrams"));
        Assert.Equal(e.RecordsSkipped, r.GetProperty("records_skipped").GetInt64());
        Assert.Equal(e.FilesSkipped, r.GetProperty("files_skipped").GetInt64());
        Assert.Equal(e.Emails, r.GetProperty("redactions").GetProperty("EMAIL").GetInt64());
        Assert.Equal(e.Phones, r.GetProperty("redactions").GetProperty("PHONE").GetInt64());
        Assert.Equal(e.CnIds, r.GetProperty("redactions").GetProperty("CN_ID").GetInt64());
        Assert.True(r.GetProperty("boilerplate_lines_removed").GetInt64() >= 6);

        // The output: one JSON object per kept document, with source and line; no PII, no footer, no script.
        var lines = Directory.GetFiles(outDir, "part-*.jsonl").Order().SelectMany(File.ReadLines).ToList();
        Assert.Equal(kept, lines.Count);
        string all = string.Join('\n', lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()));
        foreach (string secret in new[] { "alice@example.com", "555-0132", "13812345678", "11010519491231002X", MixedCorpus.Footer, "track(" })
            Assert.DoesNotContain(secret, all);
        Assert.Contains("<EMAIL>", all);
        Assert.Contains("<CN_ID>", all);
        JsonElement first = JsonDocument.Parse(lines[0]).RootElement;
        Assert.True(first.GetProperty("line").GetInt64() >= 1);
        Assert.False(string.IsNullOrEmpty(first.GetProperty("source").GetString()));
        Assert.True(File.Exists(Path.Combine(outDir, "report.json")));
    }

    [Fact]
    public void SameInputSameOutputBytes()
    {
        using var dir = new TempFolder();
        string raw = Path.Combine(dir.Path, "raw");
        MixedCorpus.Write(raw);
        string Run(string name)
        {
            string outDir = Path.Combine(dir.Path, name);
            new CorpusPreparer(new PrepareOptions { Inputs = [raw], OutputDirectory = outDir, RedactPii = true, Corpus = new CorpusOptions { SplitParagraphs = true } }).Run();
            return string.Concat(Directory.GetFiles(outDir, "part-*.jsonl").Order().Select(File.ReadAllText));
        }
        Assert.Equal(Run("a"), Run("b"));
    }

    [Fact]
    public void SummaryTableWithoutJson()
    {
        using var dir = new TempFolder();
        string raw = Path.Combine(dir.Path, "raw");
        MixedCorpus.Write(raw);
        var stdout = new StringWriter();
        int code = MynaApp.Run(["prepare", "-i", raw, "-o", Path.Combine(dir.Path, "out"), "--dedup", "exact", "--split", "paragraphs"], stdout, new StringWriter());
        Assert.Equal(0, code);
        string text = stdout.ToString();
        Assert.True(text.Contains("documents read"), text);
        Assert.True(text.Contains("dropped: exact_duplicate"), text);
        Assert.Contains("report.json", text);
    }

    /// <summary>Every prepare option reaches the pipeline (STYLE: one place per default, and a test that options arrive).</summary>
    [Fact]
    public void EveryOptionReachesThePipeline()
    {
        using var dir = new TempFolder();
        dir.Write("in/a.jsonl", "{\"body\":\"ＡＢＣ full width text that is long enough to keep.\"}\n");
        var stdout = new StringWriter();
        int code = MynaApp.Run(["prepare", "-i", Path.Combine(dir.Path, "in"), "-o", Path.Combine(dir.Path, "out"), "--redact-pii",
            "--dedup", "exact", "--near-threshold", "0.9", "--lang", "en", "--split", "paragraphs", "--text-field", "body",
            "--no-nfkc", "--min-chars", "5", "--max-chars", "500", "--json"], stdout, new StringWriter());
        Assert.Equal(0, code);
        JsonElement options = JsonDocument.Parse(stdout.ToString()).RootElement.GetProperty("options");
        Assert.Equal("exact", options.GetProperty("dedup").GetString());
        Assert.Equal(0.9, options.GetProperty("near_threshold").GetDouble());
        Assert.True(options.GetProperty("redact_pii").GetBoolean());
        Assert.Equal("en", options.GetProperty("lang").GetString());
        Assert.Equal("paragraphs", options.GetProperty("split").GetString());
        Assert.Equal("body", options.GetProperty("text_field").GetString());
        Assert.False(options.GetProperty("nfkc").GetBoolean());
        Assert.Equal(5, options.GetProperty("min_chars").GetInt32());
        Assert.Equal(500, options.GetProperty("max_chars").GetInt32());
        string written = File.ReadAllText(Path.Combine(dir.Path, "out", "part-00000.jsonl"));
        Assert.Contains("ＡＢＣ", written); // --no-nfkc kept the full-width letters
    }

    /// <summary>data/samples/mixed does what its README says.</summary>
    [Fact]
    public void CommittedSampleCorpus()
    {
        using var dir = new TempFolder();
        string samples = Path.Combine(TempFolder.RepositoryRoot(), "data", "samples", "mixed");
        PrepareReport report = new CorpusPreparer(new PrepareOptions
        {
            Inputs = [samples], OutputDirectory = dir.Path, RedactPii = true, Corpus = new CorpusOptions { SplitParagraphs = true },
        }).Run();
        Assert.Equal(25, report.DocumentsRead);
        Assert.Equal(report.DocumentsRead, report.DocumentsKept + report.DocumentsDropped);
        Assert.Equal(1, report.Dropped["exact_duplicate"]);
        Assert.Equal(1, report.Dropped["near_duplicate"]);
        Assert.Equal(1, report.Dropped["repeated_ngrams"]);
        Assert.Equal(1, report.Dropped["symbol_ratio"]);
        Assert.Equal(3, report.Redactions["EMAIL"]);
        Assert.Equal(2, report.Redactions["PHONE"]);
        Assert.Equal(1, report.Redactions["IP"]);
        Assert.Equal(1, report.FilesSkipped);
        Assert.Equal(1, report.RecordsSkipped);
    }

    [Fact]
    public void MissingInputIsAUserError()
    {
        var stderr = new StringWriter();
        int code = MynaApp.Run(["prepare", "--input", "/no/such/place", "--out", "x"], new StringWriter(), stderr);
        Assert.Equal(MynaApp.Failure, code);
        Assert.Contains("does not exist", stderr.ToString());
        Assert.Equal(MynaApp.UsageError, MynaApp.Run(["prepare", "--input", "a", "--out", "x", "--dedup", "fuzzy"], new StringWriter(), new StringWriter()));
    }
}
