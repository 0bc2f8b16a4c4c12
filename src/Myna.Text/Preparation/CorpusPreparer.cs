using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Myna.Text.Cleaning;
using Myna.Text.Corpus;
using Myna.Text.Dedup;
using Myna.Text.Output;
using Myna.Text.Privacy;

namespace Myna.Text.Preparation;

/// <summary>The <c>myna prepare</c> pipeline: read → clean → remove boilerplate → quality filters → dedup → redact
/// → write .jsonl shards and report.json. Per-document work (cleaning, filters, fingerprints, MinHash signatures,
/// redaction) runs on several threads; duplicate decisions and writing happen in input order on one, so the same
/// inputs and options give the same output bytes whatever the thread count. Duplicates are judged on the text before
/// redaction.</summary>
public sealed class CorpusPreparer(PrepareOptions options)
{
    /// <summary>How many skipped files or records report.json lists by name (the counts are always complete).</summary>
    public const int MaxListedSkips = 100;

    /// <summary>Documents between progress reports.</summary>
    private const int ProgressEvery = 2_000;

    /// <summary>Documents per parallel work item: enough to amortise scheduling, few enough to keep memory small.</summary>
    private const int Batch = 64;

    private static readonly JsonSerializerOptions ReportJson = new() { WriteIndented = true };

    /// <summary>The readers' options: the document ceiling is at least four times --max-chars (cleaning shrinks markup,
    /// so a page read may be longer than the document kept), so the filter, not the reader, decides what is too long.</summary>
    private CorpusOptions ReaderOptions => options.Corpus with
    {
        MaxDocumentChars = (int)Math.Min(Array.MaxLength / 2, Math.Max(options.Corpus.MaxDocumentChars, 4L * options.Cleaning.MaxChars)),
    };

    /// <summary>Runs the pipeline; returns (and writes) the report.</summary>
    public PrepareReport Run(IProgress<CorpusProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        // The run owns its output: written aside, swapped in at the end, so no part of an earlier run survives beside it.
        using OutputFolder output = OutputFolder.Begin(options.OutputDirectory, options.Inputs, options.ReplaceOutput);
        var report = NewReport();
        long totalBytes = CorpusReader.TotalBytes(options.Inputs);
        var cleaner = new TextCleaner(options.Cleaning);
        int threads = options.Threads > 0 ? options.Threads : Environment.ProcessorCount;

        // 1. Pre-pass: find boilerplate lines in a sample of cleaned documents (cleaning in parallel, counting in order).
        var boilerplate = new BoilerplateDetector(options.Cleaning);
        if (options.Cleaning.BoilerplateMinDocuments > 0)
        {
            var scan = new CorpusReader(ReaderOptions);
            long scanned = 0;
            foreach (string cleaned in InParallel(scan.Read(options.Inputs), d => cleaner.Clean(d.Text), threads, cancellationToken))
            {
                boilerplate.Observe(cleaned);
                if (++scanned % ProgressEvery == 0) progress?.Report(new("boilerplate scan", scan.BytesRead, totalBytes, scanned));
                if (boilerplate.SampleFull) break;
            }
        }
        report.BoilerplateLines = boilerplate.BoilerplateLineCount; // also fixes the line set before threads read it

        // 2. Main pass: per-document work in parallel, decisions and output in input order.
        var reader = new CorpusReader(ReaderOptions);
        var files = new HashSet<string>(StringComparer.Ordinal);
        SkippedInput? firstSkip = null;
        reader.Skipped += skip =>
        {
            firstSkip ??= skip;
            if (skip.AfterDocuments) report.FilesCutShort++;
            else if (skip.IsFile) report.FilesSkipped++;
            else report.RecordsSkipped++;
            if (report.Skipped.Count < MaxListedSkips) report.Skipped.Add(new(skip.Source, skip.Line, skip.Reason));
        };
        var filter = new QualityFilter(options.Cleaning);
        var exact = options.Dedup == DedupMode.None ? null : new ExactDeduplicator();
        var near = options.Dedup == DedupMode.Near ? new NearDeduplicator(options.MinHash) : null;
        var redactor = options.RedactPii ? new PiiRedactor() : null;

        Processed Process(Document document)
        {
            string text = boilerplate.Remove(cleaner.Clean(document.Text), out int removed);
            DropReason? drop = filter.Check(text, out string language);
            if (document.CutShort) drop = DropReason.Truncated;
            bool candidate = drop is null;
            return new Processed(document, Encoding.UTF8.GetByteCount(document.Text), text, removed, drop, language,
                candidate && exact is not null ? TextFingerprint.Hash(text) : default,
                candidate && near is not null ? near.Signature(text) : null,
                candidate && redactor is not null ? redactor.Redact(text) : null);
        }

        using (var writer = new ShardWriter(output.Staging, options.ShardBytes))
        {
            foreach (Processed p in InParallel(reader.Read(options.Inputs), Process, threads, cancellationToken))
            {
                files.Add(p.Document.Source);
                report.DocumentsRead++;
                report.BytesIn += p.InputBytes;
                report.BoilerplateLinesRemoved += p.BoilerplateLinesRemoved;
                if (report.DocumentsRead % ProgressEvery == 0)
                    progress?.Report(new("prepare", reader.BytesRead, totalBytes, report.DocumentsRead));

                DropReason? drop = p.Drop;
                if (drop is null && exact is not null && exact.IsDuplicate(p.Fingerprint)) drop = DropReason.ExactDuplicate;
                if (drop is null && near is not null && near.IsDuplicate(p.Signature!, out _)) drop = DropReason.NearDuplicate;
                if (drop is { } reason)
                {
                    report.Dropped[reason.Name()]++;
                    continue;
                }

                string text = p.Text;
                if (p.Redacted is { } redacted)
                {
                    foreach (PiiMatch match in redacted.Matches) report.Redactions[match.Type.Name()]++;
                    text = redacted.Text;
                }
                report.DocumentsKept++;
                report.Languages[p.Language] = report.Languages.GetValueOrDefault(p.Language) + 1;
                report.BytesOut += writer.Write(text, p.Document.Source, p.Document.Line);
            }
            report.OutputFiles.AddRange(writer.Files.Select(Path.GetFileName)!);
        }

        if (report.DocumentsRead == 0)
            throw EmptyCorpus.Refusal(options.Inputs, report.FilesSkipped + report.RecordsSkipped + report.FilesCutShort, firstSkip);
        report.Duplicates["exact"] = report.Dropped[DropReason.ExactDuplicate.Name()];
        report.Duplicates["near"] = report.Dropped[DropReason.NearDuplicate.Name()];
        // Every file found is read whole, cut short (its documents up to the break count) or skipped.
        report.FilesRead = reader.FilesCompleted + (int)report.FilesCutShort;
        report.InputFileBytes = reader.BytesRead;
        report.Seconds = Math.Round(clock.Elapsed.TotalSeconds, 3);
        progress?.Report(new("prepare", reader.BytesRead, totalBytes, report.DocumentsRead));
        AtomicFile.WriteAllText(Path.Combine(output.Staging, "report.json"), JsonSerializer.Serialize(report, ReportJson));
        output.Commit(cancellationToken);
        return report;
    }

    /// <summary>Applies <paramref name="work"/> on <paramref name="threads"/> threads; results come back in input order
    /// with a bounded number in flight (<see cref="OrderedParallel"/>).</summary>
    private static IEnumerable<T> InParallel<T>(IEnumerable<Document> documents, Func<Document, T> work, int threads, CancellationToken cancellationToken) =>
        OrderedParallel.Map(documents, work, threads, Batch, cancellationToken);

    /// <summary>One document after the parallel stage: cleaned, checked, hashed and (if asked) redacted.</summary>
    private sealed record Processed(Document Document, int InputBytes, string Text, int BoilerplateLinesRemoved, DropReason? Drop,
        string Language, UInt128 Fingerprint, uint[]? Signature, RedactionResult? Redacted);

    /// <summary>Serialises a report as report.json writes it.</summary>
    public static string ToJson(PrepareReport report, bool indented = true) =>
        JsonSerializer.Serialize(report, indented ? ReportJson : JsonSerializerOptions.Default);

    private PrepareReport NewReport()
    {
        var report = new PrepareReport { Inputs = [.. options.Inputs] };
        foreach (DropReason reason in Enum.GetValues<DropReason>()) report.Dropped[reason.Name()] = 0;
        if (options.RedactPii) foreach (PiiType type in PiiTypes.All) report.Redactions[type.Name()] = 0;
        report.Options["dedup"] = options.Dedup.ToString().ToLowerInvariant();
        report.Options["near_threshold"] = options.MinHash.Threshold;
        report.Options["redact_pii"] = options.RedactPii;
        report.Options["lang"] = options.Cleaning.Language switch { LanguageFilter.English => "en", LanguageFilter.Chinese => "zh", _ => "auto" };
        report.Options["nfkc"] = options.Cleaning.Nfkc;
        report.Options["min_chars"] = options.Cleaning.MinChars;
        report.Options["max_chars"] = options.Cleaning.MaxChars;
        report.Options["max_symbol_word_ratio"] = options.Cleaning.MaxSymbolWordRatio;
        report.Options["max_repeated_ngram_ratio"] = options.Cleaning.MaxRepeatedNgramRatio;
        report.Options["split"] = options.Corpus.SplitParagraphs ? "paragraphs" : "none";
        report.Options["text_field"] = options.Corpus.TextField;
        return report;
    }
}
