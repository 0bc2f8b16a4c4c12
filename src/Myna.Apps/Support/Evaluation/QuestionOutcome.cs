namespace Myna.Apps.Support.Evaluation;

/// <summary>What a system did with one labelled question.</summary>
/// <param name="Question">The question and its labels.</param>
/// <param name="Ranked">Entry ids in rank order (up to 10).</param>
/// <param name="Handoff">Whether the system handed it off.</param>
/// <param name="RougeL">ROUGE-L F-measure of the system's answer against the first labelled entry's answer (null for an out-of-scope question).</param>
/// <param name="LatencyMs">Time to answer, in milliseconds.</param>
public sealed record QuestionOutcome(SupportQuestion Question, IReadOnlyList<string> Ranked, bool Handoff, double? RougeL, double LatencyMs)
{
    /// <summary>The 1-based rank of the first labelled entry among <see cref="Ranked"/>, or null when none is there.</summary>
    public int? FirstRelevantRank
    {
        get
        {
            for (int i = 0; i < Ranked.Count; i++)
                if (Question.Answers.Contains(Ranked[i])) return i + 1;
            return null;
        }
    }

    /// <summary>Answered from a labelled entry, or handed off when out of scope.</summary>
    public bool CorrectAction => Question.IsHandoff ? Handoff : !Handoff && FirstRelevantRank == 1;
}
