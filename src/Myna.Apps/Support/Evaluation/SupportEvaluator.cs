using System.Diagnostics;
using Myna.Evaluation.Rouge;

namespace Myna.Apps.Support.Evaluation;

/// <summary>Runs systems over labelled questions and scores their rankings, hand-offs and answers.</summary>
public sealed class SupportEvaluator
{
    // rougeL as rouge-score computes it, Porter-stemmed; Chinese characters are tokens one by one (Myna's zh
    // tokenization, the same as rouge-score's default on English text).
    private static readonly RougeScorer Rouge = new(new RougeOptions { Types = ["rougeL"], UseStemmer = true, Tokenize = "zh" });
    private readonly FaqKnowledgeBase _knowledgeBase;

    /// <summary>An evaluator against the answers of <paramref name="knowledgeBase"/>.</summary>
    public SupportEvaluator(FaqKnowledgeBase knowledgeBase) => _knowledgeBase = knowledgeBase ?? throw new ArgumentNullException(nameof(knowledgeBase));

    /// <summary>Answers every question with <paramref name="responder"/> (single turns) and records what it did.</summary>
    /// <exception cref="InvalidDataException">A question is labelled with an entry the knowledge base does not have.</exception>
    public SystemEvaluation Evaluate(SupportResponder responder, IReadOnlyList<SupportQuestion> questions)
    {
        ArgumentNullException.ThrowIfNull(responder);
        ArgumentNullException.ThrowIfNull(questions);
        CheckLabels(questions);
        WarmUp(responder, questions);
        var outcomes = new List<QuestionOutcome>(questions.Count);
        foreach (SupportQuestion question in questions)
        {
            long start = Stopwatch.GetTimestamp();
            SupportAnswer answer = responder.Respond(question.Question);
            double latency = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            double? rouge = question.IsHandoff
                ? null
                : Rouge.Score(_knowledgeBase.Find(question.Answers[0], question.Lang)!.Answer, answer.Answer)["rougeL"].FMeasure;
            outcomes.Add(new QuestionOutcome(question, [.. answer.Sources.Select(s => s.Id)], answer.Handoff, rouge, latency));
        }
        return new SystemEvaluation(responder.Name, responder.Policy, outcomes);
    }

    /// <summary>Every labelled entry must exist: a typo in a label would silently count as a miss.</summary>
    private void CheckLabels(IReadOnlyList<SupportQuestion> questions)
    {
        foreach (SupportQuestion question in questions)
            foreach (string id in question.Answers)
                if (!_knowledgeBase.Contains(id))
                    throw new InvalidDataException($"question '{question.Id}' is labelled with entry '{id}', which the FAQ does not have.");
    }

    /// <summary>One untimed question per language first, so one-time loading (jieba's dictionaries) is not counted as a question's latency.</summary>
    private static void WarmUp(SupportResponder responder, IReadOnlyList<SupportQuestion> questions)
    {
        foreach (SupportQuestion first in questions.GroupBy(q => q.Lang).Select(g => g.First())) responder.Respond(first.Question);
    }
}
