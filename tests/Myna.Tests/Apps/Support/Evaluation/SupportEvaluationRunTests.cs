using System.Text.Json;
using Myna.Apps.Support;
using Myna.Apps.Support.Evaluation;

namespace Myna.Tests.Apps.Support.Evaluation;

public sealed class SupportEvaluationRunTests
{
    [Fact]
    public void The_report_has_the_model_both_baselines_and_per_question_rankings()
    {
        FaqKnowledgeBase faq = SupportFixtures.Faq();
        IReadOnlyList<SupportQuestion> questions = SupportQuestionSet.Load(SupportFixtures.QuestionsPath);
        SupportEvaluationReport report = SupportEvaluationRun.Run(faq, questions);
        using JsonDocument json = JsonDocument.Parse(report.ToJson("questions.jsonl", null));
        JsonElement root = json.RootElement;
        Assert.Equal("bm25", root.GetProperty("model").GetProperty("system").GetString());
        Assert.Equal("keyword", root.GetProperty("baselines").GetProperty("keyword").GetProperty("system").GetString());
        Assert.Equal("bm25", root.GetProperty("baselines").GetProperty("bm25").GetProperty("system").GetString());
        foreach (string scope in new[] { "overall", "en", "zh" })
        {
            JsonElement metrics = root.GetProperty("model").GetProperty(scope);
            foreach (string name in new[] { "hit@1", "hit@3", "mrr@10", "handoff_precision", "handoff_recall", "handoff_f1", "false_handoff_rate", "correct_action_rate", "rouge_l" })
                Assert.True(metrics.TryGetProperty(name, out _), $"{scope}.{name}");
            Assert.True(metrics.GetProperty("latency_ms").GetProperty("p95").GetDouble() >= metrics.GetProperty("latency_ms").GetProperty("p50").GetDouble());
        }
        JsonElement[] perQuestion = [.. root.GetProperty("per_question").EnumerateArray()];
        Assert.Equal(questions.Select(q => q.Id), perQuestion.Select(p => p.GetProperty("id").GetString()));
        // The per-question rankings are the model's and agree with its hit@1.
        double hits = questions.Zip(perQuestion).Where(p => !p.First.IsHandoff)
            .Average(p => p.Second.GetProperty("sources").EnumerateArray().FirstOrDefault().ValueKind == JsonValueKind.String
                && p.First.Answers.Contains(p.Second.GetProperty("sources")[0].GetString()!) ? 1.0 : 0.0);
        Assert.Equal(Math.Round(hits, 4), root.GetProperty("model").GetProperty("overall").GetProperty("hit@1").GetDouble());
        Assert.Equal(1.0, root.GetProperty("model").GetProperty("overall").GetProperty("hit@1").GetDouble());
    }
}
