using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Myna.Apps.Translation;
using Spectre.Console;

namespace Myna.Cli.Commands.Translate;

/// <summary><c>myna translate eval</c>: the model beside copy-source and the translation memory, with paired-bootstrap p-values.</summary>
internal static class TranslateEvalCommand
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Command Create()
    {
        var split = new Option<string>("--split") { Description = "Which split to evaluate: test (FAQ pairs of ≤ 60 words) or dev (300 Debian Reference pairs). Default: test.", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "dev");
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N pairs of the split (a quick look; the figures are then not the split's).", HelpName = "N" };
        var model = TranslateFiles.CreateModelOption();
        var data = TranslateFiles.CreateDataOption();
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object: {\"split\",\"segments\",\"system\",\"failed\",\"seconds\",\"resamples\",\"metrics\":[{\"metric\",\"signature\",\"scores\":{system: score},\"p_values\":{baseline: p}}],\"splits\":{…counts},\"target_met\"}.",
        };
        var command = new Command("eval",
            "Evaluate the translation model on a held-out split beside two baselines computed in the same run — copy-source and a " +
            "translation memory (the Chinese of the BM25-nearest training English) — with BLEU (sacreBLEU's zh tokenizer), chrF and " +
            "chrF++, each with its signature, and sacreBLEU's paired bootstrap (1,000 resamples) of the model against each baseline.\n\n" +
            "Examples:\n" +
            "  myna translate eval\n" +
            "  myna translate eval --split dev --json")
        {
            split, limit, model, data, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(limit) is { } n && n < 1) result.AddError("--limit must be 1 or more");
        });
        command.SetAction(parsed =>
        {
            TextWriter stdout = parsed.InvocationConfiguration.Output;
            string splitName = parsed.GetValue(split)!;
            TranslationSplits splits = TranslationSplits.Build(TranslationData.Load(TranslateFiles.ResolveData(parsed.GetValue(data))));
            IReadOnlyList<TranslationPair> pairs = splits.Named(splitName);
            if (parsed.GetValue(limit) is { } n) pairs = [.. pairs.Take(n)];
            Translator translator = Translator.FromDirectory(parsed.GetValue(model));
            using var memory = new TranslationMemory(splits.Train);
            TranslationEvaluation report = new TranslationEvaluator().Evaluate(splitName, pairs, translator, [memory, new CopySourceBaseline()]);
            bool met = report.Beats(memory.Name);
            if (parsed.GetValue(json))
            {
                var document = JsonSerializer.SerializeToNode(report, Json)!.AsObject();
                document["splits"] = JsonSerializer.SerializeToNode(splits.Counts);
                document["target_met"] = met;
                stdout.WriteLine(document.ToJsonString(Json));
                return MynaApp.Success;
            }
            WriteTable(stdout, report, met);
            return MynaApp.Success;
        });
        return command;
    }

    private static void WriteTable(TextWriter output, TranslationEvaluation report, bool met)
    {
        IAnsiConsole console = Terminal.For(output);
        string[] systems = [.. report.Metrics[0].Scores.Keys.OrderBy(name => name == report.System ? 0 : 1)];
        string[] baselines = [.. systems.Where(s => s != report.System)];
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"translate eval: {report.Segments} {report.Split} pairs, en → zh-CN");
        table.AddColumn("metric");
        foreach (string system in systems) table.AddColumn(Markup.Escape(system), c => c.RightAligned());
        foreach (string baseline in baselines) table.AddColumn(Markup.Escape($"p vs {baseline}"), c => c.RightAligned());
        foreach (MetricComparison metric in report.Metrics)
        {
            table.AddRow([metric.Metric, .. systems.Select(s => F(metric.Scores[s], "F2")), .. baselines.Select(b => F(metric.PValues[b], "F4"))]);
        }
        console.Write(table);
        foreach (MetricComparison metric in report.Metrics) output.WriteLine($"{metric.Metric}: {metric.Signature}");
        output.WriteLine($"model: {report.Seconds:F1} s for {report.Segments} pairs ({report.Failed} not translated); " +
            $"target (≥ 3 BLEU and ≥ 3 chrF over the translation memory, p < 0.05): {(met ? "met" : "not met")}");
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
