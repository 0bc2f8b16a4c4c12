namespace Myna.Apps.Support;

/// <summary>How the support assistant retrieves, decides to hand off and keeps sessions. Every default lives here, once.</summary>
public sealed record SupportOptions
{
    /// <summary>How BM25 indexes and scores each language, chosen on the dev split (see <see cref="Tuning"/>): English
    /// with little length normalisation (b 0.3: long answers are not penalised for their length) and the chapter title;
    /// Chinese with character pairs beside jieba's words, the chapter title and the English entry's text.</summary>
    public PerLanguage<Bm25Settings> Bm25 { get; init; } = new(
        English: new Bm25Settings { B = 0.3f, QuestionBoost = 1f, ChapterBoost = 0.5f },
        Chinese: new Bm25Settings { B = 0.75f, QuestionBoost = 1f, ChapterBoost = 0.5f, TranslationBoost = 0.5f, ChineseCharacterPairs = true });

    /// <summary>Entries ranked per question. 10: what MRR@10 and the re-ranking depth need.</summary>
    public int RetrievalDepth { get; init; } = 10;

    /// <summary>Sources an answer lists. 3: the answer's entry and two alternatives a person can follow.</summary>
    public int SourcesShown { get; init; } = 3;

    /// <summary>BM25's hand-off thresholds per language, tuned on the dev split (see <see cref="Tuning"/>; dev hand-off F1 0.80 en, 0.80 zh).</summary>
    public PerLanguage<HandoffPolicy> Bm25Handoff { get; init; } = new(
        English: new HandoffPolicy(MinScore: 5.954199, MinCoverage: 0.163423),
        Chinese: new HandoffPolicy(MinScore: 11.018731, MinCoverage: 0.102312));

    /// <summary>The keyword baseline's hand-off thresholds (cosine units), tuned the same way on the same dev split.</summary>
    public PerLanguage<HandoffPolicy> KeywordHandoff { get; init; } = new(
        English: new HandoffPolicy(MinScore: 0.079691, MinCoverage: 0.100052),
        Chinese: new HandoffPolicy(MinScore: 0.080668, MinCoverage: 0.21252));

    /// <summary>
    /// How the defaults above were chosen: <c>myna support tune</c> on the dev split of
    /// <c>data/apps/support/questions.jsonl</c> (108 questions): per language, the BM25 setting of
    /// <see cref="Evaluation.SupportTuner.Grid"/> with the best MRR@10, then for each system the score and coverage
    /// thresholds with the best hand-off F1 (ties to the higher correct-action rate; each threshold the midpoint between
    /// neighbouring dev values). The test split was not looked at.
    /// </summary>
    public const string Tuning = "myna support tune (dev split only)";

    /// <summary>A message with at most this many content terms, in a session that has a previous entry, is a follow-up:
    /// it is searched together with that entry's question. 3: "and on stable?", "how long does it take?", "那测试版呢？".</summary>
    public int FollowUpMaxTerms { get; init; } = 3;

    /// <summary>Sessions kept at most; the least recently used goes first. 10,000: a few MB of state at most.</summary>
    public int MaxSessions { get; init; } = 10_000;

    /// <summary>A session unused this long is forgotten. 30 minutes: a support conversation's pause, not a day's.</summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Redacted turns a session keeps for its transcript; older ones are dropped. 20: a long conversation.</summary>
    public int MaxTurnsPerSession { get; init; } = 20;

    /// <summary>The longest message answered, in characters. 4,000: a question with a pasted error message fits; a whole log does not.</summary>
    public int MaxMessageChars { get; init; } = 4_000;

    /// <summary>What a hand-off says, in English.</summary>
    public string HandoffMessageEnglish { get; init; } =
        "I can't answer that from the Debian FAQ, so I'm handing your question to a person on the support team.";

    /// <summary>What a hand-off says, in Chinese.</summary>
    public string HandoffMessageChinese { get; init; } = "这个问题无法根据 Debian FAQ 回答，我已将它转交给人工客服。";

    /// <summary>The hand-off message in <paramref name="lang"/>.</summary>
    public string HandoffMessage(string lang) => lang == SupportLanguage.Chinese ? HandoffMessageChinese : HandoffMessageEnglish;

    /// <summary>Checks every value.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public SupportOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Bm25);
        Bm25.English.Validate();
        Bm25.Chinese.Validate();
        if (RetrievalDepth < 1) throw new ArgumentException($"the retrieval depth must be at least 1, not {RetrievalDepth}.");
        if (SourcesShown < 1) throw new ArgumentException($"the sources shown must be at least 1, not {SourcesShown}.");
        if (MaxSessions < 1) throw new ArgumentException($"the session cap must be at least 1, not {MaxSessions}.");
        if (SessionIdleTimeout <= TimeSpan.Zero) throw new ArgumentException("the session idle timeout must be positive.");
        if (MaxTurnsPerSession < 1) throw new ArgumentException($"the turns kept per session must be at least 1, not {MaxTurnsPerSession}.");
        if (MaxMessageChars < 1) throw new ArgumentException($"the message length limit must be at least 1, not {MaxMessageChars}.");
        return this;
    }
}
