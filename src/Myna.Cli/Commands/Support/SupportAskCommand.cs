using System.CommandLine;
using Myna.Apps.Support;
using Spectre.Console;

namespace Myna.Cli.Commands.Support;

/// <summary><c>myna support ask</c>: one question to the FAQ assistant.</summary>
internal static class SupportAskCommand
{
    public static Command Create()
    {
        var message = new Argument<string>("message") { Description = "The question, in English or Chinese." };
        var faq = SupportFiles.CreateFaqOption();
        var json = SupportFiles.CreateJsonOption(
            "exactly the body POST /v1/apps/support/chat answers: {\"answer\",\"lang\",\"sources\":[{\"id\",\"question\",\"score\"}],\"confidence\":{\"score\",\"margin\",\"coverage\"},\"handoff\"}.");
        var command = new Command("ask",
            "Answer one question from the FAQ in the question's language, with the entry it came from; a question the FAQ " +
            "does not answer is handed off to a person (\"handoff\": true) rather than guessed.\n\n" +
            "Examples:\n" +
            "  myna support ask \"How do I upgrade to the next Debian release?\"\n" +
            "  myna support ask --json \"如何升级到下一个 Debian 版本？\"\n" +
            "  myna support ask --faq my-faq.jsonl \"Where are the release notes?\"")
        {
            message, faq, json,
        };
        command.SetAction(parsed =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            using var assistant = new SupportAssistant(SupportFiles.LoadFaq(parsed.GetValue(faq)));
            SupportAnswer answer = assistant.Ask(parsed.GetValue(message)!);
            if (parsed.GetValue(json))
            {
                output.WriteLine(SupportAnswerJson.Format(answer, assistant.Options.SourcesShown));
                return MynaApp.Success;
            }
            output.WriteLine(answer.Answer);
            output.WriteLine();
            if (answer.Handoff) output.WriteLine("(handed off to a person: no FAQ entry answers this confidently)");
            IAnsiConsole console = Terminal.For(output);
            var table = new Table().Border(TableBorder.Rounded).Title("sources");
            table.AddColumn("id");
            table.AddColumn("question");
            table.AddColumn("score", c => c.RightAligned());
            foreach (RetrievedEntry source in answer.Sources.Take(assistant.Options.SourcesShown))
                table.AddRow(Markup.Escape(source.Id), Markup.Escape(source.Question), source.Score.ToString("F3", System.Globalization.CultureInfo.InvariantCulture));
            if (answer.Sources.Count > 0) console.Write(table);
            output.WriteLine($"lang: {answer.Lang} | confidence: score {answer.Confidence.Score:F3}, margin {answer.Confidence.Margin:F3}, coverage {answer.Confidence.Coverage:F2}");
            return MynaApp.Success;
        });
        return command;
    }
}
