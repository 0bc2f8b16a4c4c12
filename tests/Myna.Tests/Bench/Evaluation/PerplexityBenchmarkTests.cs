using System.Text.Json;
using Myna.Cli;
using Myna.Tests.Generation;

namespace Myna.Tests.Bench.Evaluation;

/// <summary><c>myna bench ppl</c> on a tiny model and a short text: every method is timed and finds the same perplexity.</summary>
public class PerplexityBenchmarkTests(TinyModelDirectory directory) : IClassFixture<TinyModelDirectory>
{
    [Fact]
    public void JsonTimesEveryMethodAndTheyAgreeOnThePerplexity()
    {
        string text = Path.Combine(directory.Path, "bench-text.txt");
        File.WriteAllText(text, string.Concat(Enumerable.Repeat("In the beginning was the word, and the word was with the model. ", 4)));
        var output = new StringWriter();
        var error = new StringWriter();
        int code = MynaApp.Run(
            ["bench", "ppl", "--json", "--model", directory.Path, "--data", text, "--window", "32", "--stride", "16", "--rounds", "2", "--batch", "3"],
            output, error);

        Assert.True(code == MynaApp.Success, error.ToString());
        using JsonDocument json = JsonDocument.Parse(output.ToString());
        JsonElement root = json.RootElement;
        Assert.Equal(32, root.GetProperty("window").GetInt32());
        Assert.Equal(16, root.GetProperty("stride").GetInt32());
        Assert.Equal(3, root.GetProperty("training_batch").GetInt32());
        foreach (string field in new[] { "eval_ms", "training_forward_ms", "engine_ms", "training_forward_once_ms", "eval_over_training_forward" })
            Assert.True(root.GetProperty(field).GetDouble() > 0, field);
        double ratio = root.GetProperty("eval_over_training_forward").GetDouble();
        Assert.InRange(ratio, root.GetProperty("eval_over_training_forward_best").GetDouble(), root.GetProperty("eval_over_training_forward_worst").GetDouble());
        double perplexity = root.GetProperty("eval_perplexity").GetDouble();
        Assert.Equal(1.0, root.GetProperty("engine_perplexity").GetDouble() / perplexity, 5);
        Assert.Equal(1.0, root.GetProperty("training_forward_perplexity").GetDouble() / perplexity, 5);
    }

    [Fact]
    public void BadOptionsAreUsageErrors()
    {
        string text = Path.Combine(directory.Path, "bench-short.txt");
        File.WriteAllText(text, "a");
        var error = new StringWriter();
        Assert.Equal(MynaApp.UsageError, MynaApp.Run(["bench", "ppl", "--model", directory.Path, "--data", text], new StringWriter(), error));
        Assert.StartsWith("error:", error.ToString());
    }
}
