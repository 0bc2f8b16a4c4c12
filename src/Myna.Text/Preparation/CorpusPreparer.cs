using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Myna.Text.Cleaning;
using Myna.Text.Corpus;
using Myna.Text.Dedup;
using Myna.Text.Privacy;

namespace Myna.Text.Preparation;

/// <summary>The <c>myna prepare</c> pipeline: read → clean → remove boilerplate → quality filters → dedup → redact
/// → write .jsonl shards and report.json. Single-threaded and deterministic: the same inputs and options give the
/// same output bytes.</summary>
public sealed class CorpusPreparer(PrepareOptions options)
{
    /// <summary>How many skipped files or records report.json lists by name (the counts are always complete).</summary>
    public const int MaxListedSkips = 100;

    /// <summary>Documents between progress reports.</summary>
    private const int ProgressEvery = 2_000;

    private static readonly JsonSerializerOptions ReportJson = new() { WriteIndented = true };

    /// <summary>Runs the pipeline; returns (and writes) the report.</summary>
    public PrepareReport Run(IProgress<CorpusProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(options.OutputDirectory);
        var report = NewReport();
        long totalBytes = CorpusReader.TotalBytes(options.Inputs);
        var cleaner = new TextCleaner(options.Cleaning);

        // 1. Pre-pass: find boilerplate lines in a sample of cleaned documents.
        var boilerplate = new BoilerplateDetector(options.Cleaning);
        if (options.Cleaning.BoilerplateMinDocuments > 0)
        {
            var scan = new CorpusReader(options.Corpus);
            long scanned = 0;
            foreach (Document document in scan.Read(options.Inputs))
            {
                cancellationToken.ThrowIfCancellationRequested();
                boilerplate.Observe(cleaner.Clean(document.Text));
                if (++scanned % ProgressEvery == 0) progress?.Report(new("boilerplate scan", scan.BytesRead, totalBytes, scanned));
                if (boilerplate.SampleFull) break;
            }
            report.BoilerplateLines = boilerplate.BoilerplateLineCount;
        }

        // 2. Main pass.
        var reader = new CorpusReader(options.Corpus);
        var files = new HashSet<string>(StringComparer.Ordinal);
        reader.Skipped += skip =>
        {
            if (skip.IsFile) report.FilesSkipped++;
            else report.RecordsSkipped++;
            if (report.Skipped.Count < MaxListedSkips) report.Skipped.Add(new(skip.Source, skip.Line, skip.Reason));
        };
        var filter = new QualityFilter(options.Cleaning);
        var exact = options.Dedup == DedupMode.None ? null : new ExactDeduplicator();
        var near = options.Dedup == DedupMode.Near ? new NearDeduplicator(options.MinHash) : null;
        var redactor = options.RedactPii ? new PiiRedactor() : null;

        using (var writer = new ShardWriter(options.OutputDirectory, options.ShardBytes))
        {
            foreach (Document document in reader.Read(options.Inputs))
            {
                cancellationToken.ThrowIfCancellationRequested();
                files.Add(document.Source);
                report.DocumentsRead++;
                report.BytesIn += Encoding.UTF8.GetByteCount(document.Text);
                if (report.DocumentsRead % ProgressEvery == 0)
                    progress?.Report(new("prepare", reader.BytesRead, totalBytes, report.DocumentsRead));

                string text = boilerplate.Remove(cleaner.Clean(document.Text), out int removed);
                report.BoilerplateLinesRemoved += removed;

                DropReason? drop = filter.Check(text, out string language);
                if (drop is null && exact is not null && exact.IsDuplicate(text)) drop = DropReason.ExactDuplicate;
                if (drop is null && near is not null && near.IsDuplicate(text, out _)) drop = DropReason.NearDuplicate;
                if (drop is { } reason)
                {
                    report.Dropped[reason.Name()]++;
                    continue;
                }

                if (redactor is not null)
                {
                    RedactionResult redacted = redactor.Redact(text);
                    foreach (PiiMatch match in redacted.Matches) report.Redactions[match.Type.Name()]++;
                    text = redacted.Text;
                }
                report.DocumentsKept++;
                report.Languages[language] = report.Languages.GetValueOrDefault(language) + 1;
                report.BytesOut += writer.Write(text, document.Source, document.Line);
            }
            report.OutputFiles.AddRange(writer.Files.Select(Path.GetFileName)!);
        }

        report.Duplicates["exact"] = report.Dropped[DropReason.ExactDuplicate.Name()];
        report.Duplicates["near"] = report.Dropped[DropReason.NearDuplicate.Name()];
        report.FilesRead = files.Count;
        report.InputFileBytes = reader.BytesRead;
        report.Seconds = Math.Round(clock.Elapsed.TotalSeconds, 3);
        progress?.Report(new("prepare", reader.BytesRead, totalBytes, report.DocumentsRead));
        File.WriteAllText(Path.Combine(options.OutputDirectory, "report.json"), JsonSerializer.Serialize(report, ReportJson));
        return report;
    }

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
