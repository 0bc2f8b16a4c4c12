using System.Text.Json;
using Myna.Tests.Generation;

namespace Myna.Tests.Cli;

public class GenerateCommandTests(TinyModelDirectory model) : IClassFixture<TinyModelDirectory>
{
    [Fact]
    public void JsonHasGeneratedIdsOnlyTextAndPromptIds()
    {
        CliRun run = CliRun.Of("generate", "--model", model.Path, "--prompt", "Hi", "--max-new-tokens", "7", "--ignore-eos", "--json");
        Assert.Equal(0, run.ExitCode);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        Assert.Equal([72, 105], json.RootElement.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()));
        JsonElement sequence = json.RootElement.GetProperty("sequences")[0];
        Assert.Equal(7, sequence.GetProperty("ids").GetArrayLength());
        Assert.Equal("length", sequence.GetProperty("finish_reason").GetString());
        Assert.True(sequence.TryGetProperty("text", out _));
    }

    [Fact]
    public void GreedyCliOutputIsDeterministicAndStreamingPrintsTheSameText()
    {
        string[] args = ["generate", "--model", model.Path, "--prompt", "Hello", "--max-new-tokens", "12", "--ignore-eos"];
        CliRun first = CliRun.Of(args);
        Assert.Equal(0, first.ExitCode);
        Assert.Equal(first.Output, CliRun.Of(args).Output);
        Assert.Equal(first.Output, CliRun.Of([.. args, "--stream"]).Output);
        Assert.StartsWith("Hello", first.Output);
    }

    [Fact]
    public void SampledSequencesAreReproducibleWithASeed()
    {
        string[] args = ["generate", "--model", model.Path, "--prompt", "a", "--max-new-tokens", "6", "--do-sample", "--temperature", "3", "--num-return-sequences", "2", "--seed", "5", "--json"];
        CliRun run = CliRun.Of(args);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(run.Output, CliRun.Of(args).Output);
        Assert.Equal(2, JsonDocument.Parse(run.Output).RootElement.GetProperty("sequences").GetArrayLength());
    }

    [Theory]
    [InlineData("--top-p", "1.5", "--top-p")]
    [InlineData("--temperature", "0", "--temperature")]
    [InlineData("--num-return-sequences", "2", "--do-sample")]
    [InlineData("--max-new-tokens", "x", "--max-new-tokens")]
    public void BadGenerationOptionsAreUsageErrorsNamingTheFlag(string flag, string value, string named)
    {
        CliRun run = CliRun.Of("generate", "--model", model.Path, "--prompt", "a", flag, value);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(named, run.Error);
        Assert.Single(run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void MissingModelDirectoryIsAnInputError()
    {
        CliRun run = CliRun.Of("generate", "--model", "/no/such/model", "--prompt", "a");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("/no/such/model", run.Error);
    }
}
