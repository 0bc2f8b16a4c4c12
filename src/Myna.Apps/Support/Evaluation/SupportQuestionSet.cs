using System.Text.Json;

namespace Myna.Apps.Support.Evaluation;

/// <summary>Reads labelled questions: <c>{id, lang, question, answers: [entry ids] | "handoff", split?}</c> per line.</summary>
public static class SupportQuestionSet
{
    /// <summary>The label of an out-of-scope question.</summary>
    public const string HandoffLabel = "handoff";

    /// <summary>The split everything is chosen on (and the query log is made of); the test split is only reported.</summary>
    public const string DevSplit = "dev";

    /// <summary>The questions of <paramref name="path"/>, those of <paramref name="split"/> only when it is given.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is malformed (its number is named), or no question is in the split.</exception>
    public static IReadOnlyList<SupportQuestion> Load(string path, string? split = null)
    {
        List<SupportQuestion> questions = JsonLines.Read(path, "questions", Parse).Where(q => split is null || q.Split == split).ToList();
        if (questions.Count == 0)
            throw new InvalidDataException(split is null ? $"{path} has no questions." : $"{path} has no questions in the {split} split.");
        return questions;
    }

    private static SupportQuestion Parse(JsonElement o)
    {
        string lang = JsonLines.RequiredString(o, "lang");
        if (!SupportLanguage.IsSupported(lang)) throw new InvalidDataException($"language '{lang}' is not en or zh.");
        if (!o.TryGetProperty("answers", out JsonElement answers)) throw new InvalidDataException("field 'answers' is missing.");
        IReadOnlyList<string> ids = answers.ValueKind switch
        {
            JsonValueKind.String when answers.GetString() == HandoffLabel => [],
            JsonValueKind.Array when answers.GetArrayLength() > 0 && answers.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String) =>
                [.. answers.EnumerateArray().Select(a => a.GetString()!)],
            _ => throw new InvalidDataException($"field 'answers' must be a non-empty array of entry ids or \"{HandoffLabel}\"."),
        };
        return new SupportQuestion(JsonLines.RequiredString(o, "id"), lang, JsonLines.RequiredString(o, "question"), ids, JsonLines.OptionalString(o, "split"));
    }
}
