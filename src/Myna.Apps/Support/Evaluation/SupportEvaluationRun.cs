namespace Myna.Apps.Support.Evaluation;

/// <summary>
/// <c>myna support eval</c>: the assistant's model (BM25 with its dev-tuned hand-off) and the baselines computed in
/// the same run over the same questions — the keyword baseline (TF-IDF cosine) and BM25 itself. The query-likelihood
/// re-ranker is not part of the model (see the README: the default model is not trained on technical text and no
/// fine-tune was run), so the model and the BM25 baseline are the same system.
/// </summary>
public static class SupportEvaluationRun
{
    /// <summary>Evaluates both systems on <paramref name="questions"/>.</summary>
    /// <exception cref="InvalidDataException">A question is labelled with an entry the knowledge base does not have.</exception>
    public static SupportEvaluationReport Run(FaqKnowledgeBase knowledgeBase, IReadOnlyList<SupportQuestion> questions, SupportOptions? options = null,
        QueryLikelihoodReranker? reranker = null)
    {
        ArgumentNullException.ThrowIfNull(knowledgeBase);
        options = (options ?? new SupportOptions()).Validate();
        var evaluator = new SupportEvaluator(knowledgeBase);
        var coverage = new QueryCoverage(knowledgeBase);
        using var bm25 = new Bm25Retriever(knowledgeBase, options.Bm25);
        SystemEvaluation bm25Result = evaluator.Evaluate(new SupportResponder(knowledgeBase, bm25, coverage, options.Bm25Handoff, options), questions);
        SystemEvaluation keywordResult = evaluator.Evaluate(
            new SupportResponder(knowledgeBase, new KeywordRetriever(knowledgeBase), coverage, options.KeywordHandoff, options), questions);
        SystemEvaluation? reranked = reranker is null ? null
            : evaluator.Evaluate(new SupportResponder(knowledgeBase, bm25, coverage, options.Bm25Handoff, options, reranker), questions);
        return new SupportEvaluationReport(options, knowledgeBase.Entries.Count, Model: bm25Result, Keyword: keywordResult, Bm25: bm25Result) { Reranked = reranked };
    }
}
