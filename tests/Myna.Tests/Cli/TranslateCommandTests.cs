using System.Text.Json;
using Myna.Tests.Apps.Translation;
using Myna.Tests.Generation;
using Myna.Tests.Text;

namespace Myna.Tests.Cli;

/// <summary><c>myna translate</c>, <c>translate eval</c> and <c>translate prepare</c> with a tiny model and the committed fixture.</summary>
public sealed class TranslateCommandTests : IDisposable
{
    private readonly TinyModelDirectory _model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 256);
    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        _model.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public void Text_json_prints_the_issue_shape()
    {
        CliRun run = CliRun.Of("translate", "--model", _model.Path, "--text", "Debian is a free operating system.", "--json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        Assert.Equal(["translation", "source", "target"], json.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("en", json.RootElement.GetProperty("source").GetString());
        Assert.Equal("zh-CN", json.RootElement.GetProperty("target").GetString());
        CliRun plain = CliRun.Of("translate", "--model", _model.Path, "--text", "Debian is a free operating system.");
        Assert.Equal(json.RootElement.GetProperty("translation").GetString() + "\n", plain.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void A_file_becomes_one_line_per_line_and_failures_are_counted()
    {
        string input = _folder.Write("in.txt", "Open the file.\n\nSave it.\n" + new string('x', 300) + "\n");
        string output = Path.Combine(_folder.Path, "out.txt");
        CliRun run = CliRun.Of("translate", "--model", _model.Path, "--input", input, "--output", output);
        Assert.Equal(0, run.ExitCode);
        string[] lines = File.ReadAllLines(output);
        Assert.Equal(4, lines.Length);
        Assert.Equal("", lines[1]);
        Assert.Equal("", lines[3]);
        Assert.StartsWith("warning: 2 of 4 lines could not be translated", run.Error);
        Assert.Equal(CliRun.Of("translate", "--model", _model.Path, "--text", "Save it.").Output.TrimEnd('\n'), lines[2]);

        CliRun again = CliRun.Of("translate", "--model", _model.Path, "--input", input, "--output", output);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("--force", again.Error);
    }

    [Fact]
    public void A_missing_model_is_one_error_line_naming_the_recipe()
    {
        CliRun run = CliRun.Of("translate", "--model", Path.Combine(_folder.Path, "nothing"), "--text", "hello");
        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", run.Error);
        Assert.Contains("recipes/translate.sh", run.Error);
    }

    [Fact]
    public void Bad_command_lines_are_usage_errors()
    {
        Assert.Equal(2, CliRun.Of("translate").ExitCode);
        Assert.Equal(2, CliRun.Of("translate", "--text", "a", "--input", "b").ExitCode);
        Assert.Equal(2, CliRun.Of("translate", "--input", "b").ExitCode);
    }

    [Fact]
    public void Eval_json_reports_three_metrics_with_p_values_against_both_baselines()
    {
        CliRun run = CliRun.Of("translate", "eval", "--model", _model.Path, "--data", TranslationFixtures.Folder, "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        JsonElement root = json.RootElement;
        Assert.Equal("test", root.GetProperty("split").GetString());
        Assert.Equal(3, root.GetProperty("segments").GetInt32());
        Assert.Equal(["BLEU", "chrF2", "chrF2++"], root.GetProperty("metrics").EnumerateArray().Select(m => m.GetProperty("metric").GetString()));
        foreach (JsonElement metric in root.GetProperty("metrics").EnumerateArray())
        {
            Assert.Contains("nrefs:1|bs:1000|seed:12345", metric.GetProperty("signature").GetString());
            Assert.Equal(["model", "translation-memory", "copy-source"], metric.GetProperty("scores").EnumerateObject().Select(p => p.Name).OrderBy(n => n == "model" ? 0 : n == "translation-memory" ? 1 : 2));
            Assert.Equal(["translation-memory", "copy-source"], metric.GetProperty("p_values").EnumerateObject().Select(p => p.Name));
        }
        Assert.Contains("tok:zh", root.GetProperty("metrics")[0].GetProperty("signature").GetString());
        Assert.False(root.GetProperty("target_met").GetBoolean()); // a random model
        Assert.Equal(3, root.GetProperty("splits").GetProperty("test").GetInt32());
    }

    [Fact]
    public void Prepare_writes_the_documents_that_fit()
    {
        string output = Path.Combine(_folder.Path, "corpus");
        CliRun run = CliRun.Of("translate", "prepare", "--model", _model.Path, "--data", TranslationFixtures.Folder, "--out", output, "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        int kept = json.RootElement.GetProperty("kept").GetInt32();
        Assert.Equal(kept, File.ReadAllLines(Path.Combine(output, "train.jsonl")).Length);
        Assert.Equal(256, json.RootElement.GetProperty("n_ctx").GetInt32());
    }
}
