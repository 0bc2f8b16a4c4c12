using System.CommandLine;
using Myna.Text.Output;
using System.Text.Json;
using Myna.Evaluation.Tasks;
using Myna.Generation;
using Myna.Models.Checkpoints;
using Spectre.Console;

namespace Myna.Cli.Commands.Eval;

/// <summary><c>myna eval task</c>: generate an answer for every prompt of a task file and score it.</summary>
internal static class EvalTaskCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = $"Model directory. Default: {ModelLocator.DefaultModelPath}." };
        Option<bool> allowNonFinite = ModelLocator.CreateAllowNonFiniteOption();
        var task = new Option<string>("--task") { Description = "JSONL file: {\"prompt\", \"reference\"} or {\"prompt\", \"references\": [...]} per line.", Required = true };
        var metric = new Option<string>("--metric") { Description = "Headline metric: bleu (default), rouge or exact. All three are computed.", DefaultValueFactory = _ => "bleu" };
        metric.AcceptOnlyFromAmong("bleu", "rouge", "exact");
        var output = new Option<string>("--out") { Description = "Per-example results (JSONL). Default: <task name>.results.jsonl in the current folder." };
        var json = new Option<bool>("--json") { Description = "Print the summary as one JSON object." };
        Option<bool> updateCard = CardUpdate.Flag();
        var flags = new GenerationFlags();
        var command = new Command("task",
            "Generate an answer for each prompt of a task file and score it with BLEU (sacreBLEU), ROUGE (rouge-score) and exact match.\n" +
            "Greedy by default; all generation flags of `myna generate` apply (e.g. --stop \"\\n\" for one-line answers).\n\n" +
            "Examples:\n  myna eval task --task qa.jsonl --max-new-tokens 32 --stop \"\\n\"\n  myna eval task --model runs/m --task translate.jsonl --metric bleu --json")
        {
            model, allowNonFinite, task, metric, output, json, updateCard,
        };
        flags.AddTo(command);
        command.SetAction((parsed, cancellation) =>
        {
            GenerationOptions options = flags.Read(parsed);
            string taskPath = parsed.GetValue(task)!;
            IReadOnlyList<TaskExample> examples = EvalFiles.ReadTask(taskPath);
            string resultsPath = parsed.GetValue(output) ?? Path.GetFileNameWithoutExtension(taskPath) + ".results.jsonl";
            // The results file is replaced on each run (its documented default), but never a device, a link's target or an input.
            OutputFile.Check(resultsPath, [taskPath, ModelLocator.Resolve(parsed.GetValue(model))], replace: true, "--out");
            GptLanguageModel lm = ModelLocator.Load(parsed.GetValue(model), null, parsed.GetValue(allowNonFinite), parsed.InvocationConfiguration.Error);
            TextWriter writer = parsed.InvocationConfiguration.Output;

            (IReadOnlyList<TaskResult> results, TaskSummary summary) = Evaluate(lm, examples, options, writer, cancellation);
            AtomicFile.WriteAllText(resultsPath, string.Concat(results.Select(r => JsonSerializer.Serialize(new
            {
                id = r.Example.Id,
                prompt = r.Example.Prompt,
                prediction = r.Prediction,
                references = r.Example.References,
                bleu = r.SentenceBleu,
                rougeL = r.RougeL,
                exact_match = r.ExactMatch,
            }) + "\n")));

            string headline = parsed.GetValue(metric)!;
            string taskName = Path.GetFileName(taskPath);
            string modelDirectory = ModelLocator.Resolve(parsed.GetValue(model));
            if (parsed.GetValue(json))
            {
                writer.WriteLine(JsonSerializer.Serialize(new
                {
                    metric = headline,
                    // One scale per metric across every command: ROUGE and exact match as fractions (0–1, as rouge-score reports
                    // them), BLEU on sacreBLEU's 0–100.
                    score = headline switch { "rouge" => summary.MeanRougeL, "exact" => summary.ExactMatch, _ => summary.CorpusBleu },
                    examples = summary.Examples,
                    bleu = summary.CorpusBleu,
                    bleu_signature = summary.BleuSignature,
                    rouge1 = summary.MeanRouge1,
                    rouge2 = summary.MeanRouge2,
                    rougeL = summary.MeanRougeL,
                    exact_match = summary.ExactMatch,
                    tokens_per_s = summary.TokensPerSecond,
                    results = resultsPath,
                }));
            }
            else
            {
                IAnsiConsole console = Terminal.For(writer);
var table = new Table().Border(TableBorder.Rounded).AddColumns("examples", "BLEU (0-100)", "ROUGE-1 F", "ROUGE-2 F", "ROUGE-L F", "exact match", "tokens/s");
                table.AddRow(summary.Examples.ToString(), $"{summary.CorpusBleu:F2}", $"{summary.MeanRouge1:F4}", $"{summary.MeanRouge2:F4}",
                    $"{summary.MeanRougeL:F4}", $"{summary.ExactMatch:F4}", $"{summary.TokensPerSecond:F1}");
                console.Write(table);
                console.WriteLine(summary.BleuSignature);
                console.WriteLine($"per-example results: {resultsPath}");
            }
            CardUpdate.RecordIfAsked(parsed, updateCard, modelDirectory,
                new EvaluationRecord("BLEU", taskName, summary.CorpusBleu, summary.BleuSignature),
                new EvaluationRecord("ROUGE-L F", taskName, summary.MeanRougeL, $"{summary.Examples} examples, rouge-score"),
                new EvaluationRecord("exact match", taskName, summary.ExactMatch, $"{summary.Examples} examples"));
            return Task.FromResult(MynaApp.Success);
        });
        return command;
    }

    private static (IReadOnlyList<TaskResult>, TaskSummary) Evaluate(
        GptLanguageModel lm, IReadOnlyList<TaskExample> examples, GenerationOptions options, TextWriter writer, CancellationToken cancellation)
    {
        return Terminal.WithProgress(writer, $"{examples.Count} examples", examples.Count, report =>
            TaskEvaluator.Run(lm, examples, options, report is null ? null : new Progress<int>(done => report(done)), cancellation));
    }
}
