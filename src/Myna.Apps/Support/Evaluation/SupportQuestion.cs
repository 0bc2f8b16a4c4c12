namespace Myna.Apps.Support.Evaluation;

/// <summary>One labelled question: a line of <c>questions.jsonl</c>.</summary>
/// <param name="Id">The question's id.</param>
/// <param name="Lang"><c>en</c> or <c>zh</c>.</param>
/// <param name="Question">The question as a user would write it.</param>
/// <param name="Answers">The entry ids that answer it; empty for an out-of-scope question (labelled <c>handoff</c>).</param>
/// <param name="Split"><c>dev</c>, <c>test</c>, or null when the file has no splits.</param>
public sealed record SupportQuestion(string Id, string Lang, string Question, IReadOnlyList<string> Answers, string? Split)
{
    /// <summary>True for a question the assistant should hand off.</summary>
    public bool IsHandoff => Answers.Count == 0;
}
