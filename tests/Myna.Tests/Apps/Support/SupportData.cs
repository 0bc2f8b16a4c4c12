using System.Text.Json;
using Myna.Tests.Text;

namespace Myna.Tests.Apps.Support;

/// <summary>One FAQ entry of data/apps/support/faq.jsonl.</summary>
public sealed record FaqEntryRow(string Id, string Lang, string Chapter, string Question, string Answer);

/// <summary>One line of data/apps/support/questions.jsonl; <see cref="Answers"/> is null for a hand-off question.</summary>
public sealed record QuestionRow(string Id, string Lang, string Question, IReadOnlyList<string>? Answers, string Split)
{
    public bool IsHandoff => Answers is null;
}

/// <summary>Reads the committed support data straight from the repository (no copies), so the tests check the files
/// that ship.</summary>
public static class SupportData
{
    public static string Folder => Path.Combine(TempFolder.RepositoryRoot(), "data", "apps", "support");

    public static IReadOnlyList<FaqEntryRow> Faq() => Lines("faq.jsonl").Select(e => new FaqEntryRow(
        e.GetProperty("id").GetString()!, e.GetProperty("lang").GetString()!, e.GetProperty("chapter").GetString()!,
        e.GetProperty("question").GetString()!, e.GetProperty("answer").GetString()!)).ToList();

    public static IReadOnlyList<QuestionRow> Questions() => Lines("questions.jsonl").Select(e =>
    {
        JsonElement answers = e.GetProperty("answers");
        IReadOnlyList<string>? ids = answers.ValueKind switch
        {
            JsonValueKind.Array => answers.EnumerateArray().Select(a => a.GetString()!).ToList(),
            JsonValueKind.String when answers.GetString() == "handoff" => null,
            _ => throw new InvalidDataException($"question {e.GetProperty("id")}: answers must be a list of entry ids or \"handoff\""),
        };
        return new QuestionRow(e.GetProperty("id").GetString()!, e.GetProperty("lang").GetString()!,
            e.GetProperty("question").GetString()!, ids, e.GetProperty("split").GetString()!);
    }).ToList();

    private static IEnumerable<JsonElement> Lines(string file)
    {
        foreach (string line in File.ReadLines(Path.Combine(Folder, file)))
        {
            if (line.Length == 0) continue;
            using JsonDocument doc = JsonDocument.Parse(line);
            yield return doc.RootElement.Clone();
        }
    }
}
