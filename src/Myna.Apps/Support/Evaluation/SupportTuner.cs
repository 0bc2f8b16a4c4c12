namespace Myna.Apps.Support.Evaluation;

/// <summary>
/// <c>myna support tune</c>: picks BM25 settings and hand-off thresholds per language on dev questions. For each
/// language, every setting of <see cref="Grid"/> ranks that language's dev questions; the one with the highest
/// MRR@10 wins (ties: the earlier in the grid), and its hand-off thresholds are tuned on its own scores
/// (<see cref="HandoffTuning"/>). The keyword baseline's thresholds are tuned the same way, per language.
/// </summary>
public static class SupportTuner
{
    /// <summary>The BM25 settings tried for a language: b, the question, chapter and translation boosts, and (Chinese
    /// only) character pairs. k1 stays at Lucene's 1.2: 0.9 and 1.6 changed little on dev in a first, wider search, which
    /// also tried pseudo-relevance feedback (10 terms from the top 3 entries); it did not help on dev and was dropped.</summary>
    public static IReadOnlyList<Bm25Settings> Grid(string lang) =>
    [
        .. from b in new[] { 0.3f, 0.5f, 0.75f }
           from questionBoost in new[] { 0.5f, 1f, 2f }
           from chapterBoost in new[] { 0f, 0.5f }
           from translationBoost in new[] { 0f, 0.5f }
           from pairs in lang == SupportLanguage.Chinese ? new[] { false, true } : new[] { false }
           select new Bm25Settings { B = b, QuestionBoost = questionBoost, ChapterBoost = chapterBoost, TranslationBoost = translationBoost, ChineseCharacterPairs = pairs },
    ];

    /// <summary>Tunes on <paramref name="devQuestions"/> (call it with the dev split only).</summary>
    /// <param name="knowledgeBase">The FAQ.</param>
    /// <param name="devQuestions">Labelled dev questions, both languages.</param>
    /// <param name="options">Options other than those tuned.</param>
    /// <param name="grid">The settings tried per language (default <see cref="Grid"/>).</param>
    /// <param name="progress">Called after each trial, with the language.</param>
    public static SupportTuning Tune(FaqKnowledgeBase knowledgeBase, IReadOnlyList<SupportQuestion> devQuestions, SupportOptions? options = null,
        Func<string, IReadOnlyList<Bm25Settings>>? grid = null, Action<string, SettingsTrial>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(knowledgeBase);
        ArgumentNullException.ThrowIfNull(devQuestions);
        options = (options ?? new SupportOptions()).Validate();
        grid ??= Grid;
        var coverage = new QueryCoverage(knowledgeBase);
        var never = PerLanguage<HandoffPolicy>.Both(HandoffTuning.Never);
        var trials = new Dictionary<string, List<SettingsTrial>>();
        var keyword = new Dictionary<string, TunedHandoff>();
        var keywordResponder = new SupportResponder(knowledgeBase, new KeywordRetriever(knowledgeBase), coverage, never, options);
        foreach (string lang in new[] { SupportLanguage.English, SupportLanguage.Chinese })
        {
            SupportQuestion[] questions = [.. devQuestions.Where(q => q.Lang == lang)];
            if (questions.Length == 0) throw new InvalidDataException($"the dev split has no {lang} questions to tune on.");
            trials[lang] = [];
            foreach (Bm25Settings settings in grid(lang))
            {
                using var bm25 = new Bm25Retriever(knowledgeBase, settings);
                var observed = Observe(new SupportResponder(knowledgeBase, bm25, coverage, never, options), questions);
                var trial = new SettingsTrial(settings, Mean(observed, ReciprocalRank), Mean(observed, o => ReciprocalRank(o) == 1 ? 1 : 0), HandoffTuning.Tune(observed));
                trials[lang].Add(trial);
                progress?.Invoke(lang, trial);
            }
            keyword[lang] = HandoffTuning.Tune(Observe(keywordResponder, questions));
        }
        SettingsTrial Best(string lang) => trials[lang].OrderByDescending(t => t.MrrAt10).First();
        return new SupportTuning(
            new PerLanguage<IReadOnlyList<SettingsTrial>>(trials[SupportLanguage.English], trials[SupportLanguage.Chinese]),
            new PerLanguage<SettingsTrial>(Best(SupportLanguage.English), Best(SupportLanguage.Chinese)),
            new PerLanguage<TunedHandoff>(keyword[SupportLanguage.English], keyword[SupportLanguage.Chinese]));
    }

    private static List<(SupportQuestion Question, SupportAnswer Answer)> Observe(SupportResponder responder, IReadOnlyList<SupportQuestion> questions) =>
        [.. questions.Select(q => (q, responder.Respond(q.Question)))];

    private static double ReciprocalRank((SupportQuestion Question, SupportAnswer Answer) o)
    {
        int rank = o.Answer.Sources.Take(SupportMetrics.MrrDepth).Select(s => s.Id).ToList().FindIndex(id => o.Question.Answers.Contains(id));
        return rank < 0 ? 0 : 1.0 / (rank + 1);
    }

    /// <summary>The mean of <paramref name="value"/> over the answerable questions.</summary>
    private static double Mean(List<(SupportQuestion Question, SupportAnswer Answer)> observed, Func<(SupportQuestion, SupportAnswer), double> value)
    {
        var answerable = observed.Where(o => !o.Question.IsHandoff).ToList();
        return answerable.Count == 0 ? 0 : answerable.Average(o => value(o));
    }
}
