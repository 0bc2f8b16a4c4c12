using System.CommandLine;
using Myna.Cli.Commands.Eval;
using System.Text.Json;
using Myna.Evaluation.Comparison;
using Myna.Evaluation.Tasks;
using Myna.Generation;
using Myna.Models.Checkpoints;
using Spectre.Console;

namespace Myna.Cli.Commands;

/// <summary><c>myna compare</c>: several models side by side on quality, speed and memory, with a report and a recommendation.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model", "-m") { Description = "A model directory (repeat for each model; at least one).", Required = true, AllowMultipleArgumentsPerToken = false };
        var task = new Option<string>("--task") { Description = "JSONL task file ({\"prompt\", \"reference\"} per line) scored for every model.", Required = true };
        var data = new Option<string>("--data") { Description = "UTF-8 text for perplexity (default: the task's prompts and references)." };
        var output = new Option<string>("--out", "-o") { Description = "Folder for comparison.md, comparison.html, comparison.json and the chart.", Required = true };
        var metric = new Option<string>("--metric") { Description = "Quality measure the recommendation ranks by: bleu (default), rouge or exact.", DefaultValueFactory = _ => "bleu" };
        metric.AcceptOnlyFromAmong("bleu", "rouge", "exact");
        var json = new Option<bool>("--json") { Description = "Print the measurements as one JSON object." };
        Option<bool> updateCard = CardUpdate.Flag();
        var flags = new GenerationFlags();
        var command = new Command("compare",
            "Compare models on the same task and text: parameters, file size, memory, prefill and decode speed, perplexity, task scores.\n" +
            "Writes a Markdown and an HTML report with a quality-against-speed chart and a recommendation that states the trade-off.\n\n" +
            "Examples:\n  myna compare --model models/myna-default --model runs/bigger --task qa.jsonl --out reports/compare --stop \"\\n\"")
        {
            models, task, data, output, metric, json, updateCard,
        };
        flags.AddTo(command);
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
                if (!File.Exists(Path.Combine(directory, "config.json"))) throw new CliException($"--model '{directory}' is not a model directory (no config.json).");
            }

            TextWriter writer = parsed.InvocationConfiguration.Output;
            var measured = new List<ModelMeasurement>();
            var options = new ComparisonOptions { Metric = headline };
            foreach (string directory in directories)
            {
                if (!parsed.GetValue(json)) writer.WriteLine($"measuring {directory} …");
                try
                {
                    measured.Add(ModelComparison.Measure(directory, examples, text, options, generation, cancellation));
                }
                catch (Exception ex) when (ex is ModelFormatException or SafeTensorsFormatException or ArgumentException or InvalidOperationException)
                {
                    throw new CliException($"{directory}: {ex.Message}");
                }
            }

            Directory.CreateDirectory(outDir);
            DateTimeOffset now = DateTimeOffset.UtcNow;
            ComparisonChart.Write(Path.Combine(outDir, ComparisonChart.FileName), measured, headline);
            AtomicFile.WriteAllText(Path.Combine(outDir, "comparison.md"), ComparisonReport.Markdown(measured, headline, ComparisonChart.FileName, now));
            AtomicFile.WriteAllText(Path.Combine(outDir, "comparison.html"), ComparisonReport.Html(measured, headline, ComparisonChart.FileName, now));
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
                    perplexity = m.Perplexity,
                    bleu = m.Task.CorpusBleu,
                    rougeL = m.Task.MeanRougeL,
                    exact_match = m.Task.ExactMatch,
                }),
            });
            AtomicFile.WriteAllText(Path.Combine(outDir, "comparison.json"), measurements + "\n");

            if (parsed.GetValue(json))
            {
                writer.WriteLine(measurements);
            }
            else
            {
                IAnsiConsole console = Terminal.For(writer);
                var table = new Table().Border(TableBorder.Rounded).AddColumns("model", "params", "memory MB", "prefill tok/s", "decode tok/s", "perplexity", "BLEU", "ROUGE-L", "exact");
                foreach (ModelMeasurement m in measured)
                    table.AddRow(Markup.Escape(m.Name), $"{m.Parameters:N0}", $"{m.MemoryBytes / 1e6:F1}", $"{m.PrefillTokensPerSecond:F0}", $"{m.DecodeTokensPerSecond:F1}",
                        $"{m.Perplexity:F2}", $"{m.Task.CorpusBleu:F2}", $"{m.Task.MeanRougeL * 100:F2}", $"{m.Task.ExactMatch * 100:F1}%");
                console.Write(table);
                console.WriteLine(ComparisonReport.Recommendation(measured, headline));
                console.WriteLine($"report: {Path.Combine(outDir, "comparison.md")} (and .html, chart {ComparisonChart.FileName})");
            }
            CardUpdate.RecordIfAsked(parsed, updateCard, measured.Select(m => (m.Directory, CardRecords(m, Path.GetFileName(taskPath)))));
            return Task.FromResult(MynaApp.Success);
        });
        return command;
    }

    private static IReadOnlyList<EvaluationRecord> CardRecords(ModelMeasurement m, string taskName) =>
    [
        new EvaluationRecord("decode tokens/s", "compare (batch 1)", m.DecodeTokensPerSecond, $"prefill {m.PrefillTokensPerSecond:F0} tokens/s, memory {m.MemoryBytes / 1e6:F1} MB"),
        new EvaluationRecord("BLEU", taskName, m.Task.CorpusBleu, m.Task.BleuSignature),
    ];
}
