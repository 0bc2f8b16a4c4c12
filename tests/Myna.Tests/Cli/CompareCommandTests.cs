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
    public void ModelsWithTheSameFolderNameAreToldApartAndTheTableFits80Columns()
    {
        // Two runs' best/ folders: the last segment alone would call both "best".
        string a = Path.Combine(_directory, "runs", "a", "best"), b = Path.Combine(_directory, "runs", "b", "best");
        foreach (string target in new[] { a, b })
        {
            Directory.CreateDirectory(target);
            foreach (string file in Directory.GetFiles(first.Path)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
        string task = Path.Combine(_directory, "task.jsonl");
        File.WriteAllText(task, "{\"prompt\": \"Hi\", \"reference\": \"there\"}\n");

        CliRun named = CliRun.Of("compare", "--model", a, "--model", b, "--task", task, "--out", Path.Combine(_directory, "r1"), "--max-new-tokens", "2", "--speed-runs", "2", "--json");
        Assert.True(named.ExitCode == 0, named.Error);
        using (JsonDocument json = JsonDocument.Parse(named.Output))
        {
            JsonElement[] models = json.RootElement.GetProperty("models").EnumerateArray().ToArray();
            Assert.Equal(["a/best", "b/best"], models.Select(m => m.GetProperty("name").GetString()));
            Assert.All(models, m => Assert.Equal(2, m.GetProperty("decode_runs").GetArrayLength()));
            Assert.All(models, m => Assert.InRange(m.GetProperty("decode_spread").GetDouble(), 0, 1));
        }

        CliRun table = CliRun.Of("compare", "--model", a, "--name", "small", "--model", b, "--name", "the-larger-one", "--task", task,
            "--out", Path.Combine(_directory, "r2"), "--max-new-tokens", "2", "--speed-runs", "1");
        Assert.True(table.ExitCode == 0, table.Error);
        string[] lines = table.Output.Split('\n');
        Assert.Contains(lines, l => l.Contains("│ small ") && l.Contains('%'));
        Assert.Contains(lines, l => l.Contains("│ the-larger-one "));
        Assert.All(lines, l => Assert.True(l.TrimEnd('\r').Length <= 80, $"{l.Length} columns: {l}"));

        CliRun mismatch = CliRun.Of("compare", "--model", a, "--model", b, "--name", "one", "--task", task, "--out", Path.Combine(_directory, "r3"));
        Assert.Equal(2, mismatch.ExitCode);
        Assert.Contains("--name is given 1 time(s) for 2 --model(s)", mismatch.Error);
        Assert.Equal(2, CliRun.Of("compare", "--model", a, "--model", b, "--name", "x", "--name", "x", "--task", task, "--out", Path.Combine(_directory, "r4")).ExitCode);
        Assert.Equal(2, CliRun.Of("compare", "--model", a, "--task", task, "--out", Path.Combine(_directory, "r5"), "--speed-runs", "0").ExitCode);
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
