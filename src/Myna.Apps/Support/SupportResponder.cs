namespace Myna.Apps.Support;

/// <summary>
/// Answers one message from the FAQ with one retriever and one hand-off policy, given the entry the conversation was
/// last about (if any). Stateless: <see cref="SupportAssistant"/> adds sessions and logging, the evaluation calls this
/// directly, so both run the same steps.
/// </summary>
public sealed class SupportResponder
{
    private readonly FaqKnowledgeBase _knowledgeBase;
    private readonly QueryCoverage _coverage;
    private readonly SupportOptions _options;

    /// <summary>A responder over <paramref name="knowledgeBase"/> ranking with <paramref name="retriever"/>, then
    /// (when given) re-ranking with <paramref name="reranker"/>; hand-off is decided on the retriever's own confidence.</summary>
    public SupportResponder(FaqKnowledgeBase knowledgeBase, IFaqRetriever retriever, QueryCoverage coverage, PerLanguage<HandoffPolicy> policy, SupportOptions options,
        QueryLikelihoodReranker? reranker = null)
    {
        Reranker = reranker;
        _knowledgeBase = knowledgeBase ?? throw new ArgumentNullException(nameof(knowledgeBase));
        Retriever = retriever ?? throw new ArgumentNullException(nameof(retriever));
        _coverage = coverage ?? throw new ArgumentNullException(nameof(coverage));
        Policy = policy ?? throw new ArgumentNullException(nameof(policy));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Validate();
    }

    /// <summary>The ranking this responder answers with.</summary>
    public IFaqRetriever Retriever { get; }

    /// <summary>The re-ranker of the retriever's top entries, or null.</summary>
    public QueryLikelihoodReranker? Reranker { get; }

    /// <summary>A name for reports: the retriever's, with <c>+rerank</c> when re-ranked.</summary>
    public string Name => Reranker is null ? Retriever.Name : Retriever.Name + "+rerank";

    /// <summary>When it hands off, per language (the two indexes score on different scales).</summary>
    public PerLanguage<HandoffPolicy> Policy { get; }

    /// <summary>The answer to <paramref name="message"/>.</summary>
    /// <param name="message">The user's message.</param>
    /// <param name="previousEntryId">The entry the conversation was last answered from, or null.</param>
    /// <exception cref="ArgumentException">The message is longer than <see cref="SupportOptions.MaxMessageChars"/>.</exception>
    public SupportAnswer Respond(string message, string? previousEntryId = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Length > _options.MaxMessageChars)
            throw new ArgumentException($"the message is {message.Length} characters long; at most {_options.MaxMessageChars} are answered.");
        // 1. The user's language decides the index searched and the language answered in.
        string lang = SupportLanguage.Detect(message);
        // 2. A short message after an answered one is a follow-up: it is searched with that entry's question.
        string query = message;
        bool followUp = false;
        if (previousEntryId is not null && _knowledgeBase.Find(previousEntryId, lang) is { } previous
            && SupportTerms.Analyze(message).Distinct(StringComparer.Ordinal).Count() <= _options.FollowUpMaxTerms)
        {
            query = message + "\n" + previous.Question;
            followUp = true;
        }
        // 3. Rank, and measure how sure the best entry is.
        IReadOnlyList<RetrievedEntry> ranked = Retriever.Search(query, lang, _options.RetrievalDepth);
        SupportConfidence confidence = ranked.Count == 0
            ? SupportConfidence.None
            : new SupportConfidence(ranked[0].Score, ranked[0].Score - (ranked.Count > 1 ? ranked[1].Score : 0), _coverage.Of(query, ranked[0].Id, lang));
        // 4. Re-rank (the hand-off stays decided on the first stage's scores, whose scale the thresholds are tuned for).
        if (Reranker is not null) ranked = Reranker.Rerank(query, lang, ranked);
        // 5. Answer from the best entry in the user's language, or hand off: never an answer the FAQ does not give.
        if (Policy.For(lang).ShouldHandOff(confidence, ranked.Count))
            return new SupportAnswer(_options.HandoffMessage(lang), lang, ranked, confidence, Handoff: true, EntryId: null, followUp);
        FaqEntry entry = _knowledgeBase.Find(ranked[0].Id, lang)!;
        return new SupportAnswer(entry.Answer, lang, ranked, confidence, Handoff: false, entry.Id, followUp);
    }
}
