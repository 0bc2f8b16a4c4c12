using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Myna.Evaluation;
using Myna.Evaluation.Bleu;
using Myna.Evaluation.Significance;
using Spectre.Console;

namespace Myna.Cli.Commands.Eval;

/// <summary><c>myna eval paired-bs</c>: is a system's BLEU / chrF difference from a baseline significant? sacreBLEU's
/// <c>--paired-bs</c>.</summary>
internal static class EvalPairedBootstrapCommand
{
    // The library's defaults are the only ones: the command shows them, never restates them.
    private static readonly PairedBootstrapOptions Defaults = new();
    private static readonly BleuOptions BleuDefaults = new();

    // sacreBLEU's default --width: scores, means and intervals with one decimal; p-values always with four.
    private const int ScoreDecimals = 1;

    // The level sacreBLEU marks with '*' (and does not colour red).
    private const double SignificanceLevel = 0.05;

    // A resample count past this is minutes of work for no visible change in a p-value; sacreBLEU's default is 1,000.
    private const int ResampleLimit = 1_000_000;

    // Names such as chrF2++ and file names print as they are, not as \u escapes.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var refs = new Option<FileInfo[]>("--ref")
        {
            Description = "References: UTF-8, one segment per line; repeat --ref for several reference sets.",
            Required = true,
            HelpName = "FILE",
        };
        var baseline = new Option<FileInfo>("--baseline") { Description = "The baseline system's output, aligned with --ref.", Required = true, HelpName = "FILE" };
        var systems = new Option<FileInfo[]>("--system")
        {
            Description = "A system's output to compare with the baseline; repeat --system for several.",
            Required = true,
            HelpName = "FILE",
        };
        var metrics = new Option<string[]>("--metrics")
        {
            Description = $"Comma-separated metrics: {string.Join(", ", CorpusMetrics.Names)} (chrf is chrF2, chrf++ is chrF2++, sacreBLEU's defaults). [default: {string.Join(',', CorpusMetrics.DefaultNames)}]",
            HelpName = "METRICS",
            CustomParser = ParseMetrics,
        };
        var tokenize = new Option<string>("--tokenize")
        {
            Description = "BLEU's sacreBLEU tokenizer: 13a, intl, zh (for Chinese), char, none.",
            DefaultValueFactory = _ => BleuDefaults.Tokenize,
        };
        tokenize.OneOf(BleuTokenizer.Names);
        var resamples = new Option<int>("--resamples")
        {
            Description = "Bootstrap resamples (sacreBLEU's --paired-bs-n).",
            DefaultValueFactory = _ => Defaults.Resamples,
            HelpName = "N",
            CustomParser = result =>
            {
                string text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
                if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value is >= 1 and <= ResampleLimit)
                    return value;
                result.AddError($"--resamples must be a whole number from 1 to {ResampleLimit} (sacreBLEU's default is {Defaults.Resamples}), not '{text}'");
                return Defaults.Resamples;
            },
        };
        var seed = new Option<ulong>("--seed")
        {
            Description = "Seed of the resampling generator (sacreBLEU's SACREBLEU_SEED): the resamples equal sacreBLEU's numpy.random.default_rng(SEED) draws.",
            DefaultValueFactory = _ => Defaults.Seed,
            HelpName = "SEED",
        };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object: {\"test\":\"paired-bs\",\"resamples\",\"seed\",\"signatures\":{metric: signature}," +
                "\"systems\":[{\"system\",\"baseline\",metric:{\"score\",\"mean\",\"ci\",\"p_value\"}}]}, the baseline first with p_value null.",
        };

        var command = new Command("paired-bs",
            "Paired bootstrap resampling test (Koehn 2004) between a baseline and one or more systems on the same references, exactly as " +
            $"sacreBLEU {BleuScorer.SacreBleuVersion}'s --paired-bs: the same resamples of the test set for every system, each system's score, " +
            "bootstrap mean and 95% confidence interval (μ ± CI), and the p-value of its difference from the baseline. " +
            "A '*' marks p <= 0.05. As in sacreBLEU, p is never below 1/(resamples+1), and an output identical to the baseline gets exactly that.\n\n" +
            "Examples:\n" +
            "  myna eval paired-bs --ref ref.txt --baseline base.txt --system new.txt\n" +
            "  myna eval paired-bs --ref ref.zh.txt --baseline tm.zh.txt --system model.zh.txt --system copy.zh.txt --metrics bleu,chrf,chrf++ --tokenize zh\n" +
            "  myna eval paired-bs --ref ref.txt --baseline base.txt --system new.txt --resamples 2000 --seed 1 --json")
        {
            refs, baseline, systems, metrics, tokenize, resamples, seed, json,
        };

        command.SetAction(parsed =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            FileInfo baselineFile = parsed.GetValue(baseline)!;
            string[] baselineLines = ReadStripped(baselineFile, "--baseline");
            var referenceStreams = new List<IReadOnlyList<string>>();
            foreach (FileInfo refFile in parsed.GetValue(refs)!)
                referenceStreams.Add(ReadAligned(refFile, "--ref", baselineFile, baselineLines.Length));
            var outputs = new List<(string, IReadOnlyList<string>)>();
            foreach (FileInfo systemFile in parsed.GetValue(systems)!)
                outputs.Add((systemFile.ToString(), ReadAligned(systemFile, "--system", baselineFile, baselineLines.Length)));

            var bleuOptions = BleuDefaults with { Tokenize = parsed.GetValue(tokenize)! };
            ICorpusMetric[] chosen = [.. (parsed.GetValue(metrics) is { Length: > 0 } named ? named : CorpusMetrics.DefaultNames).Select(name => CorpusMetrics.Create(name, bleuOptions))];
            var options = Defaults with { Resamples = parsed.GetValue(resamples), Seed = parsed.GetValue(seed) };
            IReadOnlyList<PairedMetricResult> results = new PairedBootstrap(options).Compare(
                (baselineFile.ToString(), baselineLines), outputs, referenceStreams, chosen);

            if (parsed.GetValue(json)) output.WriteLine(JsonSerializer.Serialize(ToJson(options, results), Json));
            else WriteTable(output, options, results);
            return MynaApp.Success;
        });
        return command;
    }

    private static string[] ParseMetrics(ArgumentResult result)
    {
        string[] names = [.. result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
        string? unknown = names.FirstOrDefault(n => !CorpusMetrics.Names.Contains(n.ToLowerInvariant()));
        if (names.Length == 0 || unknown is not null)
        {
            result.AddError($"--metrics takes a comma-separated list of {string.Join(", ", CorpusMetrics.Names)}, not '{unknown ?? ""}'");
            return [];
        }
        return [.. names.Select(n => n.ToLowerInvariant()).Distinct()];
    }

    // sacreBLEU's command right-strips every line it reads (white space at the end, '\r' included).
    private static string[] ReadStripped(FileInfo file, string role) => [.. EvalFiles.ReadLines(file, role).Select(PythonText.RStrip)];

    private static string[] ReadAligned(FileInfo file, string role, FileInfo baselineFile, int baselineLines)
    {
        string[] lines = ReadStripped(file, role);
        if (lines.Length != baselineLines)
            throw new CliException(
                $"{role} '{file}' has {lines.Length} lines but --baseline '{baselineFile}' has {baselineLines}; every file needs one line per segment.");
        return lines;
    }

    private static object ToJson(PairedBootstrapOptions options, IReadOnlyList<PairedMetricResult> results)
    {
        var systems = new List<Dictionary<string, object?>>();
        for (int i = 0; i < results[0].Systems.Count; i++)
        {
            var row = new Dictionary<string, object?> { ["system"] = results[0].Systems[i].System, ["baseline"] = i == 0 };
            foreach (PairedMetricResult metric in results)
            {
                PairedSystemResult r = metric.Systems[i];
                row[metric.Metric] = new { score = r.Score, mean = r.Mean, ci = r.ConfidenceInterval, p_value = r.PValue };
            }
            systems.Add(row);
        }
        return new
        {
            test = "paired-bs",
            resamples = options.Resamples,
            seed = options.Seed,
            signatures = results.ToDictionary(m => m.Metric, m => m.Signature),
            systems,
        };
    }

    private static string F(double value, int digits) => value.ToString("F" + digits, CultureInfo.InvariantCulture);

    // sacreBLEU's table: "score (mean ± ci)" and, under it, "(p = 0.0123)*".
    private static void WriteTable(TextWriter output, PairedBootstrapOptions options, IReadOnlyList<PairedMetricResult> results)
    {
        IAnsiConsole console = Terminal.For(output);
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"paired bootstrap resampling, {options.Resamples} resamples, seed {options.Seed}");
        table.AddColumn("system");
        foreach (PairedMetricResult metric in results) table.AddColumn($"{metric.Metric} (μ ± 95% CI)", c => c.Centered());
        for (int i = 0; i < results[0].Systems.Count; i++)
        {
            string name = results[0].Systems[i].System;
            var cells = new List<string> { Markup.Escape(i == 0 ? $"Baseline: {name}" : name) };
            foreach (PairedMetricResult metric in results)
            {
                PairedSystemResult r = metric.Systems[i];
                string cell = $"{F(r.Score, ScoreDecimals)} ({F(r.Mean, ScoreDecimals)} ± {F(r.ConfidenceInterval, ScoreDecimals)})";
                if (r.PValue is double p) cell += $"\n(p = {F(p, 4)})" + (p > SignificanceLevel ? "" : "*");
                cells.Add(Markup.Escape(cell));
            }
            table.AddRow(cells.ToArray());
        }
        console.Write(table);
        // Plain writes: these lines are meant to be copied whole, never wrapped to the console width.
        output.WriteLine($"Each system is compared with the baseline on the same {options.Resamples} resamples; '*' marks p <= {F(SignificanceLevel, 2)}.");
        foreach (PairedMetricResult metric in results) output.WriteLine($"{metric.Metric} signature: {metric.Signature}");
    }
}
