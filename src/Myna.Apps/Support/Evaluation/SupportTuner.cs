namespace Myna.Apps.Support.Evaluation;

/// <summary>
/// <c>myna support tune</c>: picks BM25 settings per language and the learned hand-off on dev questions. The dev
/// questions are also the query log BM25 indexes (<see cref="QueryLog"/>), so every dev question is ranked by an index
/// built without its fold (<see cref="HeldOutFolds"/>). For each language, every setting of <see cref="Grid"/> ranks
/// that language's dev questions; the one with the highest MRR@10 wins (ties: the earlier in the grid). The hand-off
/// is then learned on both languages' held-out rankings under the chosen settings (<see cref="LogisticHandoffTuning"/>).
/// Each trial also reports the best score and coverage thresholds (<see cref="HandoffTuning"/>) for comparison, and
/// the keyword baseline's thresholds are tuned that way, per language.
/// </summary>
public static class SupportTuner
{
    /// <summary>The BM25 settings tried for a language: b, the question, translation and asked-question boosts. A first,
    /// wider search on dev (without the query log) settled the rest: k1 stays at Lucene's 1.2 (0.9 and 1.6 changed
    /// little), the chapter boost at 0.5 and Chinese character pairs on (both helped in both languages); pseudo-relevance
    /// feedback (10 terms from the top 3 entries) did not help and was dropped.</summary>
    public static IReadOnlyList<Bm25Settings> Grid(string lang) =>
    [
        .. from b in new[] { 0.3f, 0.75f }
           from questionBoost in new[] { 0.5f, 1f }
           from translationBoost in new[] { 0f, 0.5f }
           from askedBoost in new[] { 0f, 0.5f }
           from keywordWeight in new[] { 0f, 2f, 5f, 10f }
           select new Bm25Settings
           {
               B = b, QuestionBoost = questionBoost, ChapterBoost = 0.5f, TranslationBoost = translationBoost, AskedBoost = askedBoost, KeywordWeight = keywordWeight,
               ChineseCharacterPairs = lang == SupportLanguage.Chinese,
           },
    ];

    /// <summary>Tunes on <paramref name="devQuestions"/> (call it with the dev split only), which are also the query log.</summary>
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
        var never = PerLanguage<IHandoffRule>.Both(HandoffTuning.Never);
        var log = new QueryLog(devQuestions);
        var trials = new Dictionary<string, List<SettingsTrial>>();
        var keyword = new Dictionary<string, TunedHandoff>();
        var keywordRetriever = new KeywordRetriever(knowledgeBase);
        var keywordResponder = new SupportResponder(knowledgeBase, keywordRetriever, coverage, never, options);
        foreach (string lang in new[] { SupportLanguage.English, SupportLanguage.Chinese })
        {
            SupportQuestion[] questions = [.. devQuestions.Where(q => q.Lang == lang)];
            if (questions.Length == 0) throw new InvalidDataException($"the dev split has no {lang} questions to tune on.");
            trials[lang] = [];
            foreach (Bm25Settings settings in grid(lang))
            {
                var observed = ObserveHeldOut(knowledgeBase, settings, keywordRetriever, log, questions, coverage, options);
                var trial = new SettingsTrial(settings, Mean(observed, ReciprocalRank), Mean(observed, o => ReciprocalRank(o) == 1 ? 1 : 0), HandoffTuning.Tune(observed));
                trials[lang].Add(trial);
                progress?.Invoke(lang, trial);
            }
            keyword[lang] = HandoffTuning.Tune(Observe(keywordResponder, questions));
        }
        SettingsTrial Best(string lang) => trials[lang].OrderByDescending(t => t.MrrAt10).First();
        var best = new PerLanguage<SettingsTrial>(Best(SupportLanguage.English), Best(SupportLanguage.Chinese));
        // The learned hand-off sees both languages (the language is a feature), ranked as the chosen settings rank them.
        var chosen = ObserveHeldOut(knowledgeBase, best.Select(t => t.Settings), keywordRetriever, log, devQuestions, coverage, options);
        return new SupportTuning(
            new PerLanguage<IReadOnlyList<SettingsTrial>>(trials[SupportLanguage.English], trials[SupportLanguage.Chinese]),
            best,
            new PerLanguage<TunedHandoff>(keyword[SupportLanguage.English], keyword[SupportLanguage.Chinese]),
            LogisticHandoffTuning.Tune(chosen));
    }

    /// <summary>Each question answered (never handed off) by an index holding the log less the question's fold, in question order.</summary>
    private static List<(SupportQuestion Question, SupportAnswer Answer)> ObserveHeldOut(FaqKnowledgeBase knowledgeBase, PerLanguage<Bm25Settings> settings,
        KeywordRetriever keyword, QueryLog log, IReadOnlyList<SupportQuestion> questions, QueryCoverage coverage, SupportOptions options)
    {
        var answers = new Dictionary<SupportQuestion, SupportAnswer>(ReferenceEqualityComparer.Instance);
        var never = PerLanguage<IHandoffRule>.Both(HandoffTuning.Never);
        foreach ((QueryLog indexed, IReadOnlyList<SupportQuestion> scored) in HeldOutFolds.Groups(questions, log))
        {
            using var bm25 = new HybridRetriever(knowledgeBase, settings, keyword, indexed);
            var responder = new SupportResponder(knowledgeBase, bm25, coverage, never, options);
            foreach (SupportQuestion question in scored) answers[question] = responder.Respond(question.Question);
        }
        return [.. questions.Select(q => (q, answers[q]))];
    }

    private static List<(SupportQuestion Question, SupportAnswer Answer)> ObserveHeldOut(FaqKnowledgeBase knowledgeBase, Bm25Settings settings,
        KeywordRetriever keyword, QueryLog log, IReadOnlyList<SupportQuestion> questions, QueryCoverage coverage, SupportOptions options) =>
        ObserveHeldOut(knowledgeBase, PerLanguage<Bm25Settings>.Both(settings), keyword, log, questions, coverage, options);

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
