using Myna.Apps.Support;
using Myna.Apps.Support.Evaluation;
using Myna.Tests.Text;

namespace Myna.Tests.Apps.Support.Evaluation;

public sealed class SupportQuestionSetTests
{
    [Fact]
    public void Reads_labels_hand_offs_and_splits()
    {
        IReadOnlyList<SupportQuestion> all = SupportQuestionSet.Load(SupportFixtures.QuestionsPath);
        Assert.Equal(9, all.Count);
        Assert.Equal(2, all.Count(q => q.IsHandoff));
        Assert.Equal(["howtocurrent"], all[0].Answers);
        Assert.Equal(2, SupportQuestionSet.Load(SupportFixtures.QuestionsPath, "dev").Count);
        Assert.Equal(7, SupportQuestionSet.Load(SupportFixtures.QuestionsPath, "test").Count);
    }

    [Theory]
    [InlineData("{\"id\":\"q\",\"lang\":\"en\",\"question\":\"?\",\"answers\":[]}", "non-empty array")]
    [InlineData("{\"id\":\"q\",\"lang\":\"en\",\"question\":\"?\",\"answers\":\"nobody\"}", "\"handoff\"")]
    [InlineData("{\"id\":\"q\",\"lang\":\"de\",\"question\":\"?\",\"answers\":\"handoff\"}", "'de'")]
    [InlineData("{\"id\":\"q\",\"lang\":\"en\",\"answers\":\"handoff\"}", "'question'")]
    public void Malformed_lines_are_refused_with_their_number(string line, string expected)
    {
        using var folder = new TempFolder();
        string path = folder.Write("q.jsonl", "{\"id\":\"ok\",\"lang\":\"en\",\"question\":\"?\",\"answers\":\"handoff\"}\n" + line + "\n");
        string message = Assert.Throws<InvalidDataException>(() => SupportQuestionSet.Load(path)).Message;
        Assert.Contains("line 2", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void An_empty_split_is_an_error()
    {
        using var folder = new TempFolder();
        string path = folder.Write("q.jsonl", "{\"id\":\"ok\",\"lang\":\"en\",\"question\":\"?\",\"answers\":\"handoff\",\"split\":\"test\"}\n");
        Assert.Contains("no questions in the dev split", Assert.Throws<InvalidDataException>(() => SupportQuestionSet.Load(path, "dev")).Message);
    }

    [Fact]
    public void The_evaluator_refuses_labels_naming_unknown_entries()
    {
        FaqKnowledgeBase faq = SupportFixtures.Faq();
        using var assistant = new SupportAssistant(faq);
        var question = new SupportQuestion("q", "en", "How do I upgrade?", ["howtocurent"], "test");
        string message = Assert.Throws<InvalidDataException>(() => new SupportEvaluator(faq).Evaluate(assistant.Responder, [question])).Message;
        Assert.Contains("'howtocurent'", message);
    }
}
