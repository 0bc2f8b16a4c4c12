using System.CommandLine;
using Myna.Apps.Support;
using Myna.Apps.Support.Evaluation;

namespace Myna.Cli.Commands.Support;

/// <summary>The options every support command shares, and the data they load (one-line errors when it is missing).</summary>
internal static class SupportFiles
{
    public static Option<string> CreateFaqOption() => new("--faq")
    {
        Description = $"The knowledge base, JSON lines {{id, lang, chapter, question, answer}}. Default: {SupportDataFiles.FaqPath} in the repository or beside the program.",
        HelpName = "FILE",
    };

    public static Option<string> CreateQuestionsOption() => new("--questions")
    {
        Description = $"Labelled questions, JSON lines {{id, lang, question, answers: [entry ids] | \"handoff\", split}}. Default: {SupportDataFiles.QuestionsPath}.",
        HelpName = "FILE",
    };

    public static Option<bool> CreateJsonOption(string shape) => new("--json") { Description = "Print one JSON object: " + shape };

    /// <summary>The knowledge base named by <c>--faq</c>, or the default one.</summary>
    public static FaqKnowledgeBase LoadFaq(string? requested)
    {
        string path = Resolve(requested, SupportDataFiles.FaqPath, "--faq");
        try
        {
            return FaqKnowledgeBase.Load(path);
        }
        catch (FileNotFoundException)
        {
            throw new CliException($"--faq file '{path}' does not exist.");
        }
    }

    /// <summary>The questions named by <c>--questions</c> (or the default file), of <paramref name="split"/> when given.</summary>
    public static IReadOnlyList<SupportQuestion> LoadQuestions(string? requested, string? split, out string path)
    {
        path = Resolve(requested, SupportDataFiles.QuestionsPath, "--questions");
        try
        {
            return SupportQuestionSet.Load(path, split);
        }
        catch (FileNotFoundException)
        {
            throw new CliException($"--questions file '{path}' does not exist.");
        }
    }

    private static string Resolve(string? requested, string relativePath, string option)
    {
        try
        {
            return SupportDataFiles.Resolve(requested, relativePath, $"pass {option} FILE");
        }
        catch (FileNotFoundException missing)
        {
            throw new CliException(missing.Message);
        }
    }
}
