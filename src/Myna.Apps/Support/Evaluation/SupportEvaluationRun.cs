namespace Myna.Apps.Support.Evaluation;

/// <summary>
/// <c>myna support eval</c>: the assistant's model (BM25 plus the keyword cosine, <see cref="HybridRetriever"/>, with its
/// learned hand-off) and the baselines computed in
/// the same run over the same questions — the keyword baseline (TF-IDF cosine) and BM25 itself. The query-likelihood
/// re-ranker is not part of the model (see the README: the default model is not trained on technical text and no
/// fine-tune was run), so the model and the BM25 baseline are the same system.
/// </summary>
public static class SupportEvaluationRun
{
    /// <summary>Evaluates both systems on <paramref name="questions"/>; BM25 indexes <paramref name="queryLog"/> (none when
    /// null), each logged question scored by an index without its fold (<see cref="HeldOutFolds"/>).</summary>
    /// <exception cref="InvalidDataException">A question is labelled with an entry the knowledge base does not have.</exception>
    public static SupportEvaluationReport Run(FaqKnowledgeBase knowledgeBase, IReadOnlyList<SupportQuestion> questions, SupportOptions? options = null,
        QueryLikelihoodReranker? reranker = null, QueryLog? queryLog = null)
    {
        ArgumentNullException.ThrowIfNull(knowledgeBase);
        options = (options ?? new SupportOptions()).Validate();
        queryLog ??= QueryLog.Empty;
        var evaluator = new SupportEvaluator(knowledgeBase);
        var coverage = new QueryCoverage(knowledgeBase);
        var indexes = new List<HybridRetriever>();
        var keyword = new KeywordRetriever(knowledgeBase);
        try
        {
            SupportResponder Bm25Over(QueryLog log, QueryLikelihoodReranker? rerank)
            {
                var bm25 = new HybridRetriever(knowledgeBase, options.Bm25, keyword, log);
                indexes.Add(bm25);
                return new SupportResponder(knowledgeBase, bm25, coverage, options.Bm25Handoff, options, rerank);
            }
            SystemEvaluation bm25Result = evaluator.Evaluate(log => Bm25Over(log, null), queryLog, questions);
            SystemEvaluation keywordResult = evaluator.Evaluate(
                new SupportResponder(knowledgeBase, keyword, coverage, options.KeywordHandoff.Select(IHandoffRule (p) => p), options), questions);
            SystemEvaluation? reranked = reranker is null ? null : evaluator.Evaluate(log => Bm25Over(log, reranker), queryLog, questions);
            return new SupportEvaluationReport(options, knowledgeBase.Entries.Count, Model: bm25Result, Keyword: keywordResult, Bm25: bm25Result)
            {
                Reranked = reranked,
                QueryLogQuestions = queryLog.Questions.Count,
            };
        }
        finally
        {
            foreach (HybridRetriever index in indexes) index.Dispose();
        }
    }
}
