using Myna.Text.Privacy;

namespace Myna.Apps.Support;

/// <summary>
/// The bilingual FAQ assistant: BM25 retrieval over the knowledge base, hand-off below the dev-tuned thresholds,
/// sessions whose follow-ups carry the previous entry, and a log of turns in which user messages appear only after
/// <see cref="PiiRedactor"/>.
/// <code>
/// using var assistant = new SupportAssistant(FaqKnowledgeBase.Load("data/apps/support/faq.jsonl"));
/// SupportAnswer answer = assistant.Ask("How do I upgrade to the next Debian release?");
/// </code>
/// </summary>
public sealed class SupportAssistant : IDisposable
{
    private readonly Bm25Retriever _retriever;
    private readonly PiiRedactor _redactor = new();
    private readonly TimeProvider _time;

    /// <summary>Indexes <paramref name="knowledgeBase"/> and starts with no sessions.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public SupportAssistant(FaqKnowledgeBase knowledgeBase, SupportOptions? options = null, TimeProvider? time = null)
    {
        KnowledgeBase = knowledgeBase ?? throw new ArgumentNullException(nameof(knowledgeBase));
        Options = (options ?? new SupportOptions()).Validate();
        _time = time ?? TimeProvider.System;
        _retriever = new Bm25Retriever(knowledgeBase, Options.Bm25);
        Responder = new SupportResponder(knowledgeBase, _retriever, new QueryCoverage(knowledgeBase), Options.Bm25Handoff, Options);
        Sessions = new SupportSessions(Options, _time);
    }

    /// <summary>The FAQ answered from.</summary>
    public FaqKnowledgeBase KnowledgeBase { get; }

    /// <summary>The options in force.</summary>
    public SupportOptions Options { get; }

    /// <summary>The stateless step every message goes through.</summary>
    public SupportResponder Responder { get; }

    /// <summary>The conversations remembered.</summary>
    public SupportSessions Sessions { get; }

    /// <summary>Raised after each answered message with the turn as it may be logged (the message redacted).</summary>
    public event Action<SupportTurn>? TurnLogged;

    /// <summary>Answers <paramref name="message"/>, as a follow-up in session <paramref name="sessionId"/> when given.</summary>
    /// <exception cref="ArgumentException">The message is empty or too long.</exception>
    public SupportAnswer Ask(string message, string? sessionId = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (string.IsNullOrWhiteSpace(message)) throw new ArgumentException("the message is empty.");
        // The message is redacted first: what is logged or kept has placeholders, and what is searched has the personal
        // data left out (an address or a card number says nothing about which entry answers, and must not reach the index).
        RedactionResult redacted = _redactor.Redact(message);
        string searched = WithoutMatches(message, redacted.Matches);
        if (sessionId is null) return Record(null, redacted.Text, Responder.Respond(searched)).Answer;
        return Sessions.Use(sessionId, session =>
        {
            (SupportAnswer answer, SupportTurn turn) = Record(sessionId, redacted.Text, Responder.Respond(searched, session.PreviousEntryId));
            session.Add(turn);
            return answer;
        });
    }

    /// <summary>The loggable turn of an answer, raised to <see cref="TurnLogged"/>.</summary>
    private (SupportAnswer Answer, SupportTurn Turn) Record(string? sessionId, string redactedMessage, SupportAnswer answer)
    {
        var turn = new SupportTurn(_time.GetUtcNow(), sessionId, redactedMessage, answer.Lang, answer.EntryId, answer.Handoff, answer.Confidence.Score);
        TurnLogged?.Invoke(turn);
        return (answer, turn);
    }

    /// <summary><paramref name="message"/> with each match replaced by a space.</summary>
    private static string WithoutMatches(string message, IReadOnlyList<PiiMatch> matches)
    {
        if (matches.Count == 0) return message;
        var text = new System.Text.StringBuilder(message);
        foreach (PiiMatch match in matches)
            for (int i = match.Start; i < match.Start + match.Length; i++) text[i] = ' ';
        return text.ToString();
    }

    /// <inheritdoc />
    public void Dispose() => _retriever.Dispose();
}
