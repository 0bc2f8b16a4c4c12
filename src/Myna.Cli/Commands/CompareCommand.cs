using System.CommandLine;
using System.Globalization;
using Myna.Cli.Commands.Eval;
using System.Text.Json;
using Myna.Evaluation.Comparison;
using Myna.Evaluation.Tasks;
using Myna.Generation;
using Myna.Models.Checkpoints;
using Spectre.Console;
using Myna.Text.Output;

namespace Myna.Cli.Commands;

/// <summary><c>myna compare</c>: several models side by side on quality, speed and memory, with a report and a recommendation.</summary>
internal static class CompareCommand
{
    /// <summary>What a comparison writes into --out.</summary>
    /// <summary>More timed runs than this only make a comparison take hours; the best of a few already settles.</summary>
    private const int MaxSpeedRuns = 100;

    private static readonly string[] ReportFileNames = ["comparison.md", "comparison.html", "comparison.json", ComparisonChart.FileName];

    public static Command Create()
    {
        var models = new Option<string[]>("--model", "-m") { Description = "A model directory (repeat for each model; at least one).", Required = true, AllowMultipleArgumentsPerToken = false };
        var names = new Option<string[]>("--name") { Description = "What to call each model in tables and charts, one --name per --model in the same order. Default: the fewest trailing path segments that tell the models apart.", AllowMultipleArgumentsPerToken = false };
        var defaults = new ComparisonOptions();
        var speedRuns = new Option<int>("--speed-runs") { Description = $"Timed speed runs per model, after one warm-up run; the models alternate and each keeps its best, the spread is shown. Default {defaults.SpeedRuns}.", DefaultValueFactory = _ => defaults.SpeedRuns };
        var task = new Option<string>("--task") { Description = "JSONL task file ({\"prompt\", \"reference\"} per line) scored for every model.", Required = true };
        var data = new Option<string>("--data") { Description = "UTF-8 text for perplexity (default: the task's prompts and references)." };
        var output = new Option<string>("--out", "-o") { Description = "Folder for comparison.md, comparison.html, comparison.json and the chart.", Required = true };
        var metric = new Option<string>("--metric") { Description = "Quality measure the recommendation ranks by: bleu (default), rouge or exact.", DefaultValueFactory = _ => "bleu" };
        metric.AcceptOnlyFromAmong("bleu", "rouge", "exact");
        var json = new Option<bool>("--json") { Description = "Print the measurements as one JSON object." };
        var force = new Option<bool>("--force") { Description = "Replace the reports of an earlier comparison in --out (without it, existing reports are kept and the command stops before measuring)." };
        Option<bool> updateCard = CardUpdate.Flag();
        var flags = new GenerationFlags();
        var command = new Command("compare",
            "Compare models on the same task and text: parameters, file size, memory, prefill and decode speed, perplexity, task scores.\n" +
            "Writes a Markdown and an HTML report with a quality-against-speed chart and a recommendation that states the trade-off.\n" +
            "Speed is each model's best of --speed-runs timed runs after a warm-up, the models taking turns, with the spread of the runs.\n\n" +
            "Examples:\n  myna compare --model models/myna-default --model runs/bigger/best --task qa.jsonl --out reports/compare --stop \"\\n\"\n" +
            "  myna compare -m runs/a/best --name small -m runs/b/best --name large --task qa.jsonl --out reports/ab --speed-runs 5")
        {
            models, names, task, data, output, metric, speedRuns, json, force, updateCard,
        };
        flags.AddTo(command);
        speedRuns.Validators.Add(result =>
        {
            int runs = result.GetValueOrDefault<int>();
            if (runs is < 1 or > MaxSpeedRuns) result.AddError($"--speed-runs must be 1 to {MaxSpeedRuns}; it is {runs}");
        });
        command.Validators.Add(result =>
        {
            string[] given = result.GetValue(names) ?? [];
            int count = result.GetValue(models)?.Length ?? 0;
            if (given.Length > 0 && given.Length != count)
                result.AddError($"--name is given {given.Length} time(s) for {count} --model(s): give one --name per --model, in the same order");
            else if (given.GroupBy(n => n, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
                result.AddError($"--name '{twice.Key}' is given twice: each model needs its own name");
        });
        command.SetAction((parsed, cancellation) =>
        {
            GenerationOptions generation = flags.Read(parsed);
            string taskPath = parsed.GetValue(task)!, outDir = parsed.GetValue(output)!, headline = parsed.GetValue(metric)!;
            IReadOnlyList<TaskExample> examples = EvalFiles.ReadTask(taskPath);
            string text = parsed.GetValue(data) is { } dataPath
                ? (File.Exists(dataPath) ? Utf8Text.Decode(File.ReadAllBytes(dataPath), false, dataPath) : throw new CliException($"--data '{dataPath}' does not exist."))
                : string.Join("\n\n", examples.Select(e => e.Prompt + " " + e.References[0]));
            string[] directories = parsed.GetValue(models)!;
            foreach (string directory in directories)
            {
                if (!File.Exists(Path.Combine(directory, ModelDirectory.ConfigFileName))) throw new CliException($"--model '{directory}' is not a model directory (no config.json).");
            }
            // Checked before the measuring, which takes minutes: a report that cannot be written would lose it.
            string[] inputs = [.. directories, taskPath, .. parsed.GetValue(data) is { } d ? [d] : Array.Empty<string>()];
            OutputFolder.CheckWritableFolder(outDir, inputs);
            foreach (string name in ReportFileNames) OutputFile.Check(Path.Combine(outDir, name), inputs, parsed.GetValue(force));

            TextWriter writer = parsed.InvocationConfiguration.Output;
            bool asJson = parsed.GetValue(json);
            var options = new ComparisonOptions { Metric = headline, SpeedRuns = parsed.GetValue(speedRuns) };
            string[]? given = parsed.GetValue(names) is { Length: > 0 } n ? n : null;
            IReadOnlyList<ModelMeasurement> measured = ModelComparison.Compare(directories, given, examples, text, options, generation,
                asJson ? null : line => writer.WriteLine($"{line} …"), cancellation);

            Directory.CreateDirectory(outDir);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            ComparisonChart.Write(Path.Combine(outDir, ComparisonChart.FileName), measured, headline);
            AtomicFile.WriteAllText(Path.Combine(outDir, ReportFileNames[0]), ComparisonReport.Markdown(measured, headline, ComparisonChart.FileName, now));
            AtomicFile.WriteAllText(Path.Combine(outDir, ReportFileNames[1]), ComparisonReport.Html(measured, headline, ComparisonChart.FileName, now));
            string measurements = JsonSerializer.Serialize(new
            {
                metric = headline,
                recommendation = ComparisonReport.Recommendation(measured, headline),
                models = measured.Select(m => new
                {
                    name = m.Name,
                    directory = m.Directory,
                    parameters = m.Parameters,
                    file_bytes = m.FileBytes,
                    memory_bytes = m.MemoryBytes,
                    prefill_tokens_per_s = m.PrefillTokensPerSecond,
                    decode_tokens_per_s = m.DecodeTokensPerSecond,
                    prefill_runs = m.Prefill.TokensPerSecond,
                    decode_runs = m.Decode.TokensPerSecond,
                    prefill_spread = m.Prefill.Spread,
                    decode_spread = m.Decode.Spread,
                    perplexity = m.Perplexity,
                    bleu = m.Task.CorpusBleu,
                    rougeL = m.Task.MeanRougeL,
                    exact_match = m.Task.ExactMatch,
                }),
            });
            AtomicFile.WriteAllText(Path.Combine(outDir, ReportFileNames[2]), measurements + "\n");

            if (parsed.GetValue(json))
            {
                writer.WriteLine(measurements);
            }
            else
            {
                IAnsiConsole console = Terminal.For(writer);
                console.Write(Table(measured, headline));
                console.WriteLine(ComparisonReport.SpeedMethod(measured));
                console.WriteLine(ComparisonReport.Recommendation(measured, headline));
                console.WriteLine($"report: {Path.Combine(outDir, "comparison.md")} (every score, and .html, chart {ComparisonChart.FileName})");
            }
            CardUpdate.RecordIfAsked(parsed, updateCard, measured.Select(m => (m.Directory, CardRecords(m, Path.GetFileName(taskPath)))));
            return Task.FromResult(MynaApp.Success);
        });
        return command;
    }

    /// <summary>
    /// The console table, made to fit 80 columns with model names up to 16 characters: the headline metric only (every
    /// score is in comparison.md), parameters in K/M, short numbers, units in the caption, the decode spread beside the
    /// decode speed.
    /// </summary>
    private static Table Table(IReadOnlyList<ModelMeasurement> measured, string headline)
    {
        string metricName = headline switch { "rouge" => "ROUGE-L", "exact" => "exact", _ => "BLEU" };
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("model");
        foreach (string column in new[] { "params", "MB", "prefill", "decode", "spread", "ppl", metricName })
            table.AddColumn(new TableColumn(column).RightAligned());
        table.Caption("prefill, decode: tokens/s; spread: of the decode runs");
        foreach (ModelMeasurement m in measured)
            table.AddRow(Markup.Escape(m.Name), Count(m.Parameters), Short(m.MemoryBytes / 1e6),
                m.PrefillTokensPerSecond.ToString("N0", CultureInfo.InvariantCulture), m.DecodeTokensPerSecond.ToString("N0", CultureInfo.InvariantCulture),
                ComparisonReport.Percent(m.Decode.Spread), Short(m.Perplexity),
                ModelComparison.FormatQuality(ModelComparison.Quality(m, headline), headline));
        return table;
    }

    // At most six characters whatever the size: two decimals for small values, none for large, a power of ten for huge ones (an untrained model's perplexity).
    private static string Short(double value) => value.ToString(value < 10 ? "F2" : value < 1e4 ? "F0" : "0.0e+0", CultureInfo.InvariantCulture);

    private static string Count(long parameters) => parameters >= 1_000_000
        ? (parameters / 1e6).ToString("F1", CultureInfo.InvariantCulture) + "M"
        : (parameters / 1e3).ToString("F1", CultureInfo.InvariantCulture) + "K";

    private static IReadOnlyList<EvaluationRecord> CardRecords(ModelMeasurement m, string taskName) =>
    [
        new EvaluationRecord("decode tokens/s", "compare (batch 1)", m.DecodeTokensPerSecond, $"prefill {m.PrefillTokensPerSecond:F0} tokens/s, memory {m.MemoryBytes / 1e6:F1} MB"),
        new EvaluationRecord("BLEU", taskName, m.Task.CorpusBleu, m.Task.BleuSignature),
    ];
}
