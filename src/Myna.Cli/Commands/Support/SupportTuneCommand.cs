using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Myna.Apps.Support;
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
            "{\"split\",\"questions\",\"trials\":{\"en\":[{\"b\",\"question_boost\",…,\"mrr@10\",\"hit@1\",\"min_score\",\"min_coverage\",\"handoff_f1\"}],\"zh\":[…]},\"best\":{\"en\":{…},\"zh\":{…}},\"keyword\":{\"en\":{\"min_score\",\"min_coverage\",…},\"zh\":{…}}}.");
        var command = new Command("tune",
            "Choose BM25's settings per language (length normalisation b, question/chapter/translation boosts, Chinese character " +
            "pairs; best MRR@10) and each system's hand-off thresholds (best score, coverage; best hand-off F1) on the dev split " +
            "only. Prints the values; SupportOptions holds the ones in use.\n\n" +
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
            string[] languages = [SupportLanguage.English, SupportLanguage.Chinese];
            if (parsed.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["split"] = TuningSplit,
                    ["questions"] = dev.Count,
                    ["trials"] = languages.ToDictionary(l => l, l => tuning.Trials.For(l).Select(Trial).ToList()),
                    ["best"] = languages.ToDictionary(l => l, l => Trial(tuning.Best.For(l))),
                    ["keyword"] = languages.ToDictionary(l => l, l => Handoff(tuning.Keyword.For(l))),
                }));
                return MynaApp.Success;
            }
            IAnsiConsole console = Terminal.For(output);
            foreach (string lang in languages)
            {
                var table = new Table().Border(TableBorder.Rounded).Title($"BM25 on the {lang} dev questions, best 10 of {tuning.Trials.For(lang).Count} by MRR@10");
                foreach (string column in new[] { "b", "q boost", "chapter", "transl.", "pairs", "MRR@10", "hit@1", "hand-off F1", "min score", "min cover" })
                    table.AddColumn(column, c => c.RightAligned());
                foreach (SettingsTrial trial in tuning.Trials.For(lang).OrderByDescending(t => t.MrrAt10).Take(10))
                {
                    Bm25Settings s = trial.Settings;
                    table.AddRow(F(s.B), F(s.QuestionBoost), F(s.ChapterBoost), F(s.TranslationBoost), s.ChineseCharacterPairs ? "yes" : "no",
                        F(trial.MrrAt10), F(trial.HitAt1), F(trial.Handoff.HandoffF1), F(trial.Handoff.Policy.MinScore), F(trial.Handoff.Policy.MinCoverage));
                }
                console.Write(table);
                TunedHandoff keyword = tuning.Keyword.For(lang);
                output.WriteLine($"{lang} keyword baseline: min score {F(keyword.Policy.MinScore)}, min coverage {F(keyword.Policy.MinCoverage)} (hand-off F1 {F(keyword.HandoffF1)})");
            }
            return MynaApp.Success;
        });
        return command;
    }

    private static Dictionary<string, object> Trial(SettingsTrial trial)
    {
        Dictionary<string, object> values = Handoff(trial.Handoff);
        Bm25Settings s = trial.Settings;
        values["k1"] = s.K1;
        values["b"] = s.B;
        values["question_boost"] = s.QuestionBoost;
        values["chapter_boost"] = s.ChapterBoost;
        values["translation_boost"] = s.TranslationBoost;
        values["chinese_character_pairs"] = s.ChineseCharacterPairs;
        values["mrr@10"] = Math.Round(trial.MrrAt10, 4);
        values["hit@1"] = Math.Round(trial.HitAt1, 4);
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
