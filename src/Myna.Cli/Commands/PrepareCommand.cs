using System.CommandLine;
using Myna.Text.Cleaning;
using Myna.Text.Corpus;
using Myna.Text.Dedup;
using Myna.Text.Preparation;
using Spectre.Console;

namespace Myna.Cli.Commands;

/// <summary><c>myna prepare</c>: raw text in any supported format to clean, deduplicated, optionally redacted .jsonl.</summary>
internal static class PrepareCommand
{
    public static Command Create()
    {
        var input = new Option<string[]>("--input", "-i")
        {
            Description = "Files or folders to read (txt, jsonl, csv, tsv, md, html, parquet; .gz of any; folders recursively).",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<string>("--out", "-o") { Description = "Output folder for part-*.jsonl and report.json.", Required = true };
        var redact = new Option<bool>("--redact-pii")
        {
            Description = "Replace e-mails, phones, Chinese IDs, card numbers, IPs and secret URLs with <EMAIL>, <PHONE>, <CN_ID>, <CARD>, <IP>, <URL_CREDENTIALS>.",
        };
        var dedup = new Option<string>("--dedup") { Description = "Duplicate removal: near (MinHash, default), exact or none.", DefaultValueFactory = _ => "near" };
        dedup.AcceptOnlyFromAmong("near", "exact", "none");
        var threshold = new Option<double>("--near-threshold")
        {
            Description = "Jaccard similarity at or above which --dedup near drops a document.",
            DefaultValueFactory = _ => new MinHashOptions().Threshold,
        };
        var lang = new Option<string>("--lang") { Description = "Keep only English (en), only Chinese (zh), or all (auto).", DefaultValueFactory = _ => "auto" };
        lang.AcceptOnlyFromAmong("auto", "en", "zh");
        var split = new Option<string>("--split") { Description = "'paragraphs': each blank-line-separated block of .txt/.md is a document.", DefaultValueFactory = _ => "none" };
        split.AcceptOnlyFromAmong("none", "paragraphs");
        var textField = new Option<string>("--text-field")
        {
            Description = "Field (jsonl) or column (csv, tsv, parquet) holding the text.",
            DefaultValueFactory = _ => new CorpusOptions().TextField,
        };
        var noNfkc = new Option<bool>("--no-nfkc") { Description = "Keep the text's Unicode forms (by default NFKC folds full-width and compatibility characters)." };
        var minChars = new Option<int>("--min-chars") { Description = "Drop documents shorter than this.", DefaultValueFactory = _ => new CleaningOptions().MinChars };
        var maxChars = new Option<int>("--max-chars") { Description = "Drop documents longer than this.", DefaultValueFactory = _ => new CleaningOptions().MaxChars };
        minChars.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 0) result.AddError($"--min-chars must be 0 or more; it is {result.GetValueOrDefault<int>()}");
        });
        maxChars.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1) result.AddError($"--max-chars must be at least 1; it is {result.GetValueOrDefault<int>()}");
        });
        var json = new Option<bool>("--json") { Description = "Print report.json's content on stdout instead of the summary table." };
        var force = new Option<bool>("--force") { Description = "Replace a non-empty --out with this run's output (swapped in when the run succeeds; without it such a folder is refused)." };

        var command = new Command("prepare",
            "Clean raw text for training: read many formats, normalise, filter junk, remove duplicates, optionally redact personal data. " +
            "Writes part-*.jsonl ({\"text\",\"source\",\"line\"} per line) and report.json, which accounts for every document read.\n\n" +
            "Examples:\n" +
            "  myna prepare --input data/raw --out data/clean\n" +
            "  myna prepare --input books/ notes.md dump.jsonl.gz --out clean --redact-pii --dedup near --lang en\n" +
            "  myna prepare --input reviews.csv --text-field review --out clean --dedup exact --json\n" +
            "  myna prepare --input novel.txt --split paragraphs --out clean")
        {
            input, output, redact, dedup, threshold, lang, split, textField, noNfkc, minChars, maxChars, json, force,
        };
        command.Validators.Add(result =>
        {
            int least = result.GetValue(minChars), most = result.GetValue(maxChars);
            if (least > most) result.AddError($"--min-chars {least} is above --max-chars {most}: every document would be dropped");
        });

        command.SetAction(parsed =>
        {
            TextWriter stdout = parsed.InvocationConfiguration.Output;
            string[] inputs = parsed.GetValue(input) ?? [];
            foreach (string path in inputs)
                if (!File.Exists(path) && !Directory.Exists(path))
                    throw new CliException($"--input '{path}' does not exist: give a file or folder to read.");
            double near = parsed.GetValue(threshold);
            if (near is <= 0 or > 1) throw new CliException("--near-threshold must be in (0, 1], e.g. 0.8.", MynaApp.UsageError);

            var options = new PrepareOptions
            {
                Inputs = inputs,
                OutputDirectory = parsed.GetValue(output)!,
                ReplaceOutput = parsed.GetValue(force),
                RedactPii = parsed.GetValue(redact),
                Dedup = parsed.GetValue(dedup) switch { "exact" => DedupMode.Exact, "none" => DedupMode.None, _ => DedupMode.Near },
                MinHash = new MinHashOptions { Threshold = near },
                Corpus = new CorpusOptions { SplitParagraphs = parsed.GetValue(split) == "paragraphs", TextField = parsed.GetValue(textField)! },
                Cleaning = new CleaningOptions
                {
                    Nfkc = !parsed.GetValue(noNfkc),
                    MinChars = parsed.GetValue(minChars),
                    MaxChars = parsed.GetValue(maxChars),
                    Language = parsed.GetValue(lang) switch { "en" => LanguageFilter.English, "zh" => LanguageFilter.Chinese, _ => LanguageFilter.Auto },
                },
            };
            var preparer = new CorpusPreparer(options);
            // An output that cannot be owned (not empty, overlapping the input) or written is an IOException whose
            // message names --out and what to do; the CLI prints it as one line.
            PrepareReport report = parsed.GetValue(json) ? preparer.Run() : PrepareProgressBars.Run(Terminal.For(stdout), progress => preparer.Run(progress));

            if (parsed.GetValue(json)) stdout.WriteLine(CorpusPreparer.ToJson(report, indented: false));
            else WriteSummary(Terminal.For(stdout), report, options.OutputDirectory);
            return MynaApp.Success;
        });
        return command;
    }

    private static void WriteSummary(IAnsiConsole console, PrepareReport report, string outputDirectory)
    {
        var table = new Table().Title("myna prepare").AddColumn("").AddColumn(new TableColumn("count").RightAligned());
        table.AddRow("documents read", $"{report.DocumentsRead:N0}");
        table.AddRow("[green]kept[/]", $"{report.DocumentsKept:N0}");
        foreach (var (reason, count) in report.Dropped.Where(kv => kv.Value > 0))
            table.AddRow($"dropped: {reason}", $"{count:N0}");
        table.AddRow("duplicates (exact / near)", $"{report.Duplicates["exact"]:N0} / {report.Duplicates["near"]:N0}");
        foreach (var (type, count) in report.Redactions) table.AddRow($"redacted {Markup.Escape($"<{type}>")}", $"{count:N0}");
        foreach (var (language, count) in report.Languages) table.AddRow($"kept, language {language}", $"{count:N0}");
        table.AddRow("boilerplate lines removed", $"{report.BoilerplateLinesRemoved:N0} ({report.BoilerplateLines:N0} distinct)");
        table.AddRow("files read / skipped", $"{report.FilesRead:N0} / {report.FilesSkipped:N0}");
        if (report.RecordsSkipped > 0) table.AddRow("records skipped", $"{report.RecordsSkipped:N0}");
        table.AddRow("text bytes in / out", $"{report.BytesIn:N0} / {report.BytesOut:N0}");
        double mbPerSecond = report.Seconds > 0 ? report.InputFileBytes / 1e6 / report.Seconds : 0;
        table.AddRow("time", $"{report.Seconds:F2} s ({mbPerSecond:F1} MB/s)");
        console.Write(table);
        foreach (PrepareReport.SkipEntry skip in report.Skipped.Take(10))
            console.MarkupLine($"[yellow]skipped[/] {Markup.Escape(skip.Source)}{(skip.Line > 0 ? $":{skip.Line}" : "")}: {Markup.Escape(skip.Reason)}");
        console.MarkupLine($"Wrote {report.OutputFiles.Count} file(s) and report.json to {Markup.Escape(outputDirectory)}");
    }
}
