using System.CommandLine;
using System.Globalization;
using Myna.Apps.Support;
using Myna.Apps.Support.Evaluation;
using Spectre.Console;

namespace Myna.Cli.Commands.Support;

/// <summary><c>myna support eval</c>: the assistant and its baselines on labelled questions.</summary>
internal static class SupportEvalCommand
{
    /// <summary>The split evaluated when the default questions file is used.</summary>
    public const string DefaultSplit = "test";

    public static Command Create()
    {
        var faq = SupportFiles.CreateFaqOption();
        var questions = SupportFiles.CreateQuestionsOption();
        var split = new Option<string>("--split")
        {
            Description = $"Which questions to evaluate: test, dev or all. Default: {DefaultSplit} for the default questions file, all for --questions FILE.",
        };
        split.AcceptOnlyFromAmong("test", "dev", "all");
        var rerankWeight = new Option<double?>("--rerank-weight")
        {
            Description = "Also measure BM25 + query-likelihood re-ranking of the top 10 (score / best + W × mean log P(question | answer)) " +
                "with --model, reported as baselines.\"bm25+rerank\". Slow: one forward pass per candidate.",
            HelpName = "W",
        };
        var model = new Option<string>("--model", "-m") { Description = $"The re-ranking model directory. Default: {ModelLocator.DefaultModelPath}.", HelpName = "DIR" };
        var json = SupportFiles.CreateJsonOption(
            "{\"questions_file\",\"split\",\"questions\",\"faq_entries\",\"model\":{system, settings, overall, en, zh},\"baselines\":{\"keyword\":{…},\"bm25\":{…}},\"per_question\":[{\"id\",\"sources\",\"handoff\"}]}; " +
            "each metrics object has hit@1, hit@3, mrr@10, handoff_precision, handoff_recall, handoff_f1, false_handoff_rate, correct_action_rate, rouge_l, latency_ms {p50, p95}.");
        var command = new Command("eval",
            "Evaluate the assistant (BM25 with its dev-tuned hand-off) beside the keyword baseline (TF-IDF cosine), computed in the " +
            "same run: hit@1, hit@3, MRR@10, hand-off precision/recall/F1, false hand-off rate, correct-action rate, ROUGE-L of the " +
            "answers and p50/p95 latency, per language and overall.\n\n" +
            "Examples:\n" +
            "  myna support eval\n" +
            "  myna support eval --json\n" +
            "  myna support eval --questions my-questions.jsonl --faq my-faq.jsonl --json")
        {
            faq, questions, split, rerankWeight, model, json,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(rerankWeight) is { } w && !(w >= 0)) result.AddError("--rerank-weight must be 0 or more");
            if (result.GetResult(model) is not null && result.GetValue(rerankWeight) is null) result.AddError("--model is the re-ranking model: give --rerank-weight too");
        });
        command.SetAction(parsed =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            string? requestedQuestions = parsed.GetValue(questions);
            string chosenSplit = parsed.GetValue(split) ?? (requestedQuestions is null ? DefaultSplit : "all");
            string? splitFilter = chosenSplit == "all" ? null : chosenSplit;
            FaqKnowledgeBase knowledgeBase = SupportFiles.LoadFaq(parsed.GetValue(faq));
            IReadOnlyList<SupportQuestion> set = SupportFiles.LoadQuestions(requestedQuestions, splitFilter, out string path);
            QueryLikelihoodReranker? reranker = parsed.GetValue(rerankWeight) is { } weight
                ? new QueryLikelihoodReranker(knowledgeBase, ModelLocator.Load(parsed.GetValue(model)), weight)
                : null;
            SupportEvaluationReport report = SupportEvaluationRun.Run(knowledgeBase, set, reranker: reranker) with { RerankWeight = reranker?.Weight };
            if (parsed.GetValue(json))
            {
                output.WriteLine(report.ToJson(path, splitFilter));
                return MynaApp.Success;
            }
            WriteTable(output, report, path, chosenSplit);
            return MynaApp.Success;
        });
        return command;
    }

    private static void WriteTable(TextWriter output, SupportEvaluationReport report, string path, string split)
    {
        IAnsiConsole console = Terminal.For(output);
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"support eval: {report.Model.Outcomes.Count} questions ({split}) from {Markup.Escape(path)}");
        // Systems and languages across, metrics down: the table stays narrow however many metrics there are.
        var columns = new List<(string Name, SupportMetrics Metrics)>();
        var systems = new List<(string, SystemEvaluation)> { ("bm25", report.Model), ("keyword", report.Keyword) };
        if (report.Reranked is not null) systems.Add(("rerank", report.Reranked));
        foreach ((string name, SystemEvaluation system) in systems)
        {
            columns.Add(($"{name} all", system.Overall));
            foreach ((string lang, SupportMetrics metrics) in system.PerLanguage) columns.Add(($"{name} {lang}", metrics));
        }
        table.AddColumn("metric");
        foreach ((string name, _) in columns) table.AddColumn(Markup.Escape(name), c => c.RightAligned());
        (string Metric, Func<SupportMetrics, string> Value)[] rows =
        [
            ("hit@1", m => F(m.HitAt1)), ("hit@3", m => F(m.HitAt3)), ("MRR@10", m => F(m.MrrAt10)),
            ("hand-off P", m => F(m.HandoffPrecision)), ("hand-off R", m => F(m.HandoffRecall)), ("hand-off F1", m => F(m.HandoffF1)),
            ("false hand-off", m => F(m.FalseHandoffRate)), ("correct action", m => F(m.CorrectActionRate)), ("ROUGE-L", m => F(m.RougeL)),
            ("p50 ms", m => m.LatencyP50Ms.ToString("F2", CultureInfo.InvariantCulture)),
            ("p95 ms", m => m.LatencyP95Ms.ToString("F2", CultureInfo.InvariantCulture)),
            ("questions (oos)", m => $"{m.Questions} ({m.OutOfScope})"),
        ];
        foreach ((string metric, Func<SupportMetrics, string> value) in rows)
            table.AddRow([metric, .. columns.Select(c => value(c.Metrics))]);
        console.Write(table);
        output.WriteLine($"model: bm25 (settings per language: add --json); oos: out of scope; hand-off thresholds: {SupportOptions.Tuning}; per-question rankings: add --json");
    }

    private static string F(double? value) => value is { } v ? v.ToString("F3", CultureInfo.InvariantCulture) : "-";
}
