using System.Text.Json;
using Myna.Tests.Generation;

namespace Myna.Tests.Cli;

public sealed class EvalTaskCommandTests(TinyModelDirectory model) : IClassFixture<TinyModelDirectory>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("myna-task-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void ScoresEveryExampleAndWritesPerExampleResults()
    {
        string task = Path.Combine(_directory, "task.jsonl"), results = Path.Combine(_directory, "out.jsonl");
        File.WriteAllText(task, string.Join("\n",
            "{\"prompt\": \"Hi\", \"reference\": \"there\"}",
            "{\"id\": \"q2\", \"prompt\": \"One two\", \"references\": [\"three\", \"3\"]}",
            "",
            "{\"prompt\": \"abc\", \"reference\": \"def\"}") + "\n");
        CliRun run = CliRun.Of("eval", "task", "--model", model.Path, "--task", task, "--out", results, "--max-new-tokens", "5", "--ignore-eos", "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument summary = JsonDocument.Parse(run.Output);
        Assert.Equal(3, summary.RootElement.GetProperty("examples").GetInt32());
        Assert.StartsWith("nrefs:2|", summary.RootElement.GetProperty("bleu_signature").GetString());
        // One scale per metric everywhere: ROUGE a fraction as rouge-score reports it, BLEU on sacreBLEU's 0-100.
        Assert.InRange(summary.RootElement.GetProperty("rougeL").GetDouble(), 0, 1);
        Assert.Equal(summary.RootElement.GetProperty("bleu").GetDouble(), summary.RootElement.GetProperty("score").GetDouble());
        string[] lines = File.ReadAllLines(results);
        Assert.Equal(3, lines.Length);
        Assert.Equal("q2", JsonDocument.Parse(lines[1]).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public void MalformedTaskLinesAreNamed()
    {
        string task = Path.Combine(_directory, "bad.jsonl");
        File.WriteAllText(task, "{\"prompt\": \"Hi\", \"reference\": \"x\"}\n{\"prompt\": 3}\n");
        CliRun run = CliRun.Of("eval", "task", "--model", model.Path, "--task", task);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("line 2", run.Error);
    }
}
