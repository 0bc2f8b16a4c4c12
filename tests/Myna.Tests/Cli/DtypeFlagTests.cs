using System.Text.Json;
using Microsoft.Extensions.AI;
using Myna.Cli;
using Myna.Generation;
using Myna.Generation.Chat;
using Myna.Models.Inference;
using Myna.Tests.Generation;

namespace Myna.Tests.Cli;

/// <summary><c>--dtype f32|f16|int8</c> on <c>myna generate</c> and <c>myna chat</c>.</summary>
public sealed class DtypeFlagTests(TinyModelDirectory model) : IClassFixture<TinyModelDirectory>
{
    private const int NewTokens = 8;

    private string[] GenerateArgs(string dtype, params string[] extra) =>
        ["generate", "--model", model.Path, "--prompt", "Hello", "--max-new-tokens", NewTokens.ToString(), "--ignore-eos", "--seed", "7", "--dtype", dtype, .. extra];

    /// <summary>The library's greedy continuation of the same prompt at <paramref name="precision"/>.</summary>
    private GeneratedSequence Library(InferencePrecision precision)
    {
        var lm = GptLanguageModel.FromPretrained(model.Path, precision);
        Assert.Equal(precision, lm.Precision);
        var options = new GenerationOptions { MaxNewTokens = NewTokens, StopAtEndOfText = false, Seed = 7, ReturnLogProbs = true };
        return lm.GenerateDetailed([lm.Tokenizer!.Encode("Hello")], options)[0];
    }

    [Theory]
    [InlineData("f16", InferencePrecision.F16)]
    [InlineData("int8", InferencePrecision.Int8)]
    public void GenerateJsonIsWellFormedAndMatchesTheLibraryAtThatPrecision(string dtype, InferencePrecision precision)
    {
        CliRun run = CliRun.Of(GenerateArgs(dtype, "--json", "--logprobs"));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal("", run.Error);
        using JsonDocument json = JsonDocument.Parse(run.Output);
        Assert.Equal([72, 101, 108, 108, 111], json.RootElement.GetProperty("prompt_ids").EnumerateArray().Select(e => e.GetInt32()));
        JsonElement sequences = json.RootElement.GetProperty("sequences");
        Assert.Equal(1, sequences.GetArrayLength());
        JsonElement sequence = sequences[0];
        int[] ids = sequence.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal(NewTokens, ids.Length);
        Assert.Equal("length", sequence.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.String, sequence.GetProperty("text").ValueKind);
        float[] logProbs = sequence.GetProperty("logprobs").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(NewTokens, logProbs.Length);

        Assert.Equal(dtype, json.RootElement.GetProperty("dtype").GetString());

        // The JSON names the precision; check too that the command computed at it: its ids and log-probabilities are the
        // library's at that precision. On this fixture greedy ids agree across precisions but the log-probabilities do not,
        // so a command that ignored --dtype (and ran at f32) fails the last assertion.
        GeneratedSequence expected = Library(precision);
        Assert.Equal(expected.NewIds, ids);
        Assert.Equal(expected.LogProbs, logProbs);
        Assert.NotEqual(Library(InferencePrecision.F32).LogProbs, logProbs);
    }

    [Theory]
    [InlineData("f16")]
    [InlineData("int8")]
    public void GeneratePrintsThePromptAndAContinuation(string dtype)
    {
        CliRun run = CliRun.Of(GenerateArgs(dtype));
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.StartsWith("Hello", run.Output);
        Assert.True(run.Output.TrimEnd('\r', '\n').Length > "Hello".Length, $"no continuation in '{run.Output}'");
    }

    [Theory]
    [InlineData("f32")]
    [InlineData("f16")]
    [InlineData("int8")]
    public void GreedyGenerationIsDeterministicAtEachPrecision(string dtype)
    {
        CliRun first = CliRun.Of(GenerateArgs(dtype));
        CliRun second = CliRun.Of(GenerateArgs(dtype));
        Assert.True(first.ExitCode == 0, first.Error);
        Assert.Equal(0, second.ExitCode);
        Assert.StartsWith("Hello", first.Output);
        Assert.Equal(first.Output, second.Output);
    }

    [Fact]
    public void DtypeAliasesAndCaseAreAccepted()
    {
        // fp16 and F16 name the same precision as f16, so the greedy ids are the same.
        string Ids(string dtype)
        {
            CliRun run = CliRun.Of(GenerateArgs(dtype, "--json"));
            Assert.True(run.ExitCode == 0, $"{dtype}: {run.Error}");
            using JsonDocument json = JsonDocument.Parse(run.Output);
            return json.RootElement.GetProperty("sequences")[0].GetProperty("ids").GetRawText();
        }
        string f16 = Ids("f16");
        Assert.Equal(f16, Ids("fp16"));
        Assert.Equal(f16, Ids("F16"));
    }

    [Theory]
    [InlineData("generate", "q4")]
    [InlineData("generate", "bf16")]
    [InlineData("chat", "q4")]
    public void AnUnknownDtypeIsAOneLineUsageErrorNamingTheAllowedValues(string command, string dtype)
    {
        string[] args = command == "generate"
            ? ["generate", "--model", model.Path, "--prompt", "a", "--dtype", dtype]
            : ["chat", "--model", model.Path, "--dtype", dtype];
        var output = new StringWriter();
        var error = new StringWriter();
        int code = MynaApp.Run(args, output, error, new StringReader("Hello\n/exit\n"));
        Assert.Equal(MynaApp.UsageError, code);
        Assert.Equal(2, code);
        Assert.Equal("", output.ToString());
        string message = error.ToString();
        Assert.Single(message.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", message);
        foreach (string word in new[] { "--dtype", "f32", "f16", "int8" }) Assert.Contains(word, message);
        Assert.Contains($"myna {command} --help", message);
    }

    [Fact]
    public void ChatAtInt8AnswersTheTurnAsTheLibraryDoesAndExits()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = MynaApp.Run(["chat", "--model", model.Path, "--temperature", "0", "--max-new-tokens", "6", "--dtype", "int8"],
            output, error, new StringReader("Hello\n/exit\nnever read\n"));
        Assert.True(code == 0, error.ToString());
        Assert.Equal("", error.ToString());
        string text = output.ToString();
        Assert.Equal(2, text.Split("you> ").Length - 1);
        Assert.Equal(1, text.Split("myna> ").Length - 1);
        string reply = text.Split("myna> ")[1].Split("\nyou> ")[0].TrimEnd('\r', '\n');

        // The same greedy turn through the library's chat client on the int8 model.
        var lm = GptLanguageModel.FromPretrained(model.Path, InferencePrecision.Int8);
        using var client = new MynaChatClient(lm);
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 6 };
        string expected = string.Concat(client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hello")], options)
            .ToBlockingEnumerable().Select(update => update.Text));
        Assert.Equal(expected, reply);
        Assert.NotEqual("", expected);
    }
}
