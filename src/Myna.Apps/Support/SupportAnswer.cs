namespace Myna.Apps.Support;

/// <summary>What the assistant says to one message.</summary>
/// <param name="Answer">The entry's answer in the user's language, or the hand-off message.</param>
/// <param name="Lang">The language of the user's message, and of the answer.</param>
/// <param name="Sources">Ranked entries, best first (up to <see cref="SupportOptions.RetrievalDepth"/>).</param>
/// <param name="Confidence">The best entry's score, margin and coverage.</param>
/// <param name="Handoff">True when the question goes to a person instead.</param>
/// <param name="EntryId">The id of the entry answered from; null on a hand-off.</param>
/// <param name="FollowUp">Whether the message was read as a follow-up of the session's previous entry.</param>
public sealed record SupportAnswer(
    string Answer, string Lang, IReadOnlyList<RetrievedEntry> Sources, SupportConfidence Confidence, bool Handoff, string? EntryId, bool FollowUp);
