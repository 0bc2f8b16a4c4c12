using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Myna.Apps.Support.Evaluation;
using Spectre.Console;

namespace Myna.Cli.Commands.Support;

/// <summary><c>myna support tune</c>: choose the BM25 question boost and the hand-off thresholds on the dev split.</summary>
internal static class SupportTuneCommand
{
    /// <summary>Tuning reads this split only: the test split stays unseen.</summary>
    public const string TuningSplit = "dev";

    public static Command Create()
    {
        var faq = SupportFiles.CreateFaqOption();
        var questions = SupportFiles.CreateQuestionsOption();
        var json = SupportFiles.CreateJsonOption(
            "{\"trials\":[{\"boost\",\"correct_action_rate\",\"handoff_f1\",\"mrr@10\",\"min_score\",\"min_coverage\"}],\"best\":{…},\"keyword\":{\"min_score\",\"min_coverage\",…}}.");
        var command = new Command("tune",
            "Choose the BM25 question boost and each system's hand-off thresholds (best score, coverage) on the dev split only, " +
            "maximising the correct-action rate. Prints the values; SupportOptions holds the ones in use.\n\n" +
            "Examples:\n" +
            "  myna support tune\n" +
            "  myna support tune --json")
        {
            faq, questions, json,
        };
        command.SetAction(parsed =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            var knowledgeBase = SupportFiles.LoadFaq(parsed.GetValue(faq));
            IReadOnlyList<SupportQuestion> dev = SupportFiles.LoadQuestions(parsed.GetValue(questions), TuningSplit, out _);
            SupportTuning tuning = SupportTuner.Tune(knowledgeBase, dev);
            if (parsed.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["split"] = TuningSplit,
                    ["questions"] = dev.Count,
                    ["trials"] = tuning.Trials.Select(Trial).ToList(),
                    ["best"] = Trial(tuning.Best),
                    ["keyword"] = Handoff(tuning.Keyword),
                }));
                return MynaApp.Success;
            }
            IAnsiConsole console = Terminal.For(output);
            var table = new Table().Border(TableBorder.Rounded).Title($"BM25 on {dev.Count} dev questions");
            foreach (string column in new[] { "question boost", "MRR@10", "correct action", "hand-off F1", "min score", "min coverage" })
                table.AddColumn(column, c => c.RightAligned());
            foreach (BoostTrial trial in tuning.Trials)
            {
                table.AddRow(F(trial.Boost), F(trial.MrrAt10), F(trial.Handoff.CorrectActionRate), F(trial.Handoff.HandoffF1),
                    F(trial.Handoff.Policy.MinScore), F(trial.Handoff.Policy.MinCoverage));
            }
            console.Write(table);
            output.WriteLine($"chosen: boost {F(tuning.Best.Boost)}, min score {F(tuning.Best.Handoff.Policy.MinScore)}, min coverage {F(tuning.Best.Handoff.Policy.MinCoverage)}");
            output.WriteLine($"keyword baseline: min score {F(tuning.Keyword.Policy.MinScore)}, min coverage {F(tuning.Keyword.Policy.MinCoverage)} " +
                $"(correct action {F(tuning.Keyword.CorrectActionRate)})");
            return MynaApp.Success;
        });
        return command;
    }

    private static Dictionary<string, object> Trial(BoostTrial trial)
    {
        Dictionary<string, object> values = Handoff(trial.Handoff);
        values["boost"] = trial.Boost;
        values["mrr@10"] = Math.Round(trial.MrrAt10, 4);
        return values;
    }

    private static Dictionary<string, object> Handoff(TunedHandoff tuned) => new()
    {
        ["min_score"] = Math.Round(tuned.Policy.MinScore, 6),
        ["min_coverage"] = Math.Round(tuned.Policy.MinCoverage, 6),
        ["correct_action_rate"] = Math.Round(tuned.CorrectActionRate, 4),
        ["handoff_f1"] = Math.Round(tuned.HandoffF1, 4),
    };

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
