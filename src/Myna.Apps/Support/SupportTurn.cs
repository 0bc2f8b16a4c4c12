namespace Myna.Apps.Support;

/// <summary>One answered message as it may be logged: the user's text only after <see cref="Myna.Text.Privacy.PiiRedactor"/>.</summary>
/// <param name="Time">When it was answered.</param>
/// <param name="SessionId">The session it belongs to, or null for a single question.</param>
/// <param name="RedactedMessage">The user's message with personal data and secrets replaced by placeholders.</param>
/// <param name="Lang">The message's language.</param>
/// <param name="EntryId">The entry answered from; null on a hand-off.</param>
/// <param name="Handoff">Whether it was handed off.</param>
/// <param name="Score">The best entry's score.</param>
public sealed record SupportTurn(DateTimeOffset Time, string? SessionId, string RedactedMessage, string Lang, string? EntryId, bool Handoff, double Score);
