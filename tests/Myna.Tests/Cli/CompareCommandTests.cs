using System.Text.Json;
using Myna.Tests.Generation;

namespace Myna.Tests.Cli;

public sealed class CompareCommandTests(TinyModelDirectory first) : IClassFixture<TinyModelDirectory>, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("myna-compare-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void WritesTableChartReportsAndARecommendationNamingTheModels()
    {
        using TinyModelDirectory second = TinyModelDirectory.Create(tiedEmbeddings: false);
        string task = Path.Combine(_directory, "task.jsonl"), report = Path.Combine(_directory, "report");
        File.WriteAllText(task, "{\"prompt\": \"Hi\", \"reference\": \"there\"}\n{\"prompt\": \"abc\", \"reference\": \"def\"}\n");

        CliRun run = CliRun.Of("compare", "--model", first.Path, "--model", second.Path, "--task", task, "--out", report, "--max-new-tokens", "4", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        Assert.Equal(2, json.RootElement.GetProperty("models").GetArrayLength());
        foreach (JsonElement model in json.RootElement.GetProperty("models").EnumerateArray())
        {
            Assert.True(model.GetProperty("decode_tokens_per_s").GetDouble() > 0);
            Assert.True(model.GetProperty("memory_bytes").GetInt64() > model.GetProperty("file_bytes").GetInt64() / 2);
        }
        string recommendation = json.RootElement.GetProperty("recommendation").GetString()!;
        Assert.Contains(Path.GetFileName(first.Path), recommendation + File.ReadAllText(Path.Combine(report, "comparison.md")));
        Assert.True(new FileInfo(Path.Combine(report, "quality-vs-speed.png")).Length > 1000);
        Assert.Contains("<table>", File.ReadAllText(Path.Combine(report, "comparison.html")));
    }

    [Fact]
    public void NotAModelDirectoryIsAnInputError()
    {
        string task = Path.Combine(_directory, "task.jsonl");
        File.WriteAllText(task, "{\"prompt\": \"Hi\", \"reference\": \"there\"}\n");
        CliRun run = CliRun.Of("compare", "--model", _directory, "--task", task, "--out", Path.Combine(_directory, "r"));
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("config.json", run.Error);
    }
}
