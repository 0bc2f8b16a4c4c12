using System.Text.Json;
using Myna.Apps.Support;
using Myna.Tests.Apps.Support;

namespace Myna.Tests.Cli;

/// <summary><c>myna support ask|eval</c> through the command line, on the committed fixtures.</summary>
public sealed class SupportCommandTests
{
    [Fact]
    public void Ask_json_prints_exactly_the_endpoint_object()
    {
        CliRun run = CliRun.Of("support", "ask", "--json", "--faq", SupportFixtures.FaqPath, "How do I upgrade to the next Debian release?");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement root = json.RootElement;
        Assert.Equal(["answer", "lang", "sources", "confidence", "handoff"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("en", root.GetProperty("lang").GetString());
        Assert.False(root.GetProperty("handoff").GetBoolean());
        Assert.Equal("howtocurrent", root.GetProperty("sources")[0].GetProperty("id").GetString());
        Assert.Equal(["id", "question", "score"], root.GetProperty("sources")[0].EnumerateObject().Select(p => p.Name));

        // The same object the library writes for the endpoint.
        using var assistant = new SupportAssistant(SupportFixtures.Faq());
        string expected = SupportAnswerJson.Format(assistant.Ask("How do I upgrade to the next Debian release?"), assistant.Options.SourcesShown);
        Assert.Equal(expected, run.Output.TrimEnd('\n'));
    }

    [Fact]
    public void Ask_answers_chinese_in_chinese_and_hands_off_out_of_scope()
    {
        CliRun zh = CliRun.Of("support", "ask", "--json", "--faq", SupportFixtures.FaqPath, "如何升级到下一个 Debian 版本？");
        using JsonDocument zhJson = JsonDocument.Parse(zh.Output);
        Assert.Equal("zh", zhJson.RootElement.GetProperty("lang").GetString());
        Assert.Equal("howtocurrent", zhJson.RootElement.GetProperty("sources")[0].GetProperty("id").GetString());
        Assert.StartsWith("升级到下一个 Debian 发行版", zhJson.RootElement.GetProperty("answer").GetString());

        CliRun handoff = CliRun.Of("support", "ask", "--faq", SupportFixtures.FaqPath, "How do I reset my Netflix password?");
        Assert.Equal(0, handoff.ExitCode);
        Assert.Contains("handed off", handoff.Output);
    }

    [Fact]
    public void Missing_data_is_one_error_line()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-faq-" + Guid.NewGuid() + ".jsonl");
        CliRun run = CliRun.Of("support", "ask", "--faq", missing, "hello");
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: --faq file '{missing}' does not exist.", run.Error.TrimEnd());
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void Eval_json_runs_the_model_and_both_baselines_on_a_questions_file()
    {
        CliRun run = CliRun.Of("support", "eval", "--json", "--faq", SupportFixtures.FaqPath, "--questions", SupportFixtures.QuestionsPath);
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement root = json.RootElement;
        Assert.Equal(JsonValueKind.Null, root.GetProperty("split").ValueKind); // --questions FILE: every question
        Assert.Equal(9, root.GetProperty("questions").GetInt32());
        Assert.True(root.GetProperty("model").TryGetProperty("overall", out _));
        Assert.True(root.GetProperty("baselines").GetProperty("keyword").TryGetProperty("zh", out _));
        Assert.True(root.GetProperty("baselines").GetProperty("bm25").TryGetProperty("en", out _));
        Assert.Equal(9, root.GetProperty("per_question").GetArrayLength());

        CliRun test = CliRun.Of("support", "eval", "--json", "--faq", SupportFixtures.FaqPath, "--questions", SupportFixtures.QuestionsPath, "--split", "test");
        using JsonDocument testJson = JsonDocument.Parse(test.Output);
        Assert.Equal(7, testJson.RootElement.GetProperty("questions").GetInt32());
    }

    [Fact]
    public void Eval_table_lists_both_systems()
    {
        CliRun run = CliRun.Of("support", "eval", "--faq", SupportFixtures.FaqPath, "--questions", SupportFixtures.QuestionsPath);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("hit@1", run.Output);
        Assert.Contains("keyword", run.Output);
        Assert.Contains("bm25", run.Output);
        Assert.Contains("MRR@10", run.Output);
    }

    [Fact]
    public void A_bad_split_is_a_usage_error()
    {
        CliRun run = CliRun.Of("support", "eval", "--split", "train");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error:", run.Error);
    }
}
