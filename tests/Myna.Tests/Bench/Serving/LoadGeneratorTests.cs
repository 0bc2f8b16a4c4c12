using Myna.Bench.Serving;
using Myna.Cli;
using Myna.Tests.Server;

namespace Myna.Tests.Bench.Serving;

/// <summary>The load generator against a real server over a tiny model: every request streams in full and is timed in order.</summary>
public sealed class LoadGeneratorTests(TinyServerFixture fixture) : IClassFixture<TinyServerFixture>
{
    private const int NewTokens = 8;

    [Fact]
    public async Task EveryRequestOfTheRunStreamsItsTokensAndIsTimed()
    {
        RunningServer server = fixture.Server;
        int idLimit = server.Model.EndOfTextId ?? server.Model.Config.VocabSize;
        var plan = new LoadPlan(RunningServer.ModelId, Concurrency: 3, Requests: 7, Duration: TimeSpan.FromMinutes(1), Grace: TimeSpan.FromMinutes(1),
            PromptTokens: 5, NewTokens: NewTokens, PromptIdLimit: idLimit, Seed: 1);
        using HttpClient http = CompletionClient.CreateHttpClient(server.Address);

        IReadOnlyList<CompletionTiming> timings = await LoadGenerator.RunAsync(http, plan);

        Assert.Equal(7, timings.Count);
        Assert.All(timings, t =>
        {
            Assert.True(t.Completed(NewTokens), $"status {t.Status}, {t.OutputTokens} tokens, done {t.Done}, error {t.Error}");
            Assert.InRange(t.TokenTimes.Count, 1, NewTokens);
            Assert.True(t.TokenTimes.SequenceEqual(t.TokenTimes.Order()), "token times in order");
            Assert.InRange(t.TimeToFirstTokenSeconds!.Value, 0, t.EndToEndSeconds);
        });
        LoadRunSummary summary = LoadRunSummary.Of(timings, NewTokens, plan.Concurrency, parallel: 8, maxQueue: 64);
        Assert.Equal(new Dictionary<string, int> { ["200"] = 7 }, summary.Statuses);
        Assert.Equal((7, 0, 0), (summary.Completed, summary.Errors, summary.Lost));
        Assert.True(summary.OutputTokensPerSecond > 0);
    }

    [Fact]
    public void PromptsDifferPerRequestAndRepeatPerSeed()
    {
        int[] first = CompletionRequestBody.RandomPrompt(32, 100, seed: 1, index: 0);

        Assert.Equal(first, CompletionRequestBody.RandomPrompt(32, 100, seed: 1, index: 0));
        Assert.NotEqual(first, CompletionRequestBody.RandomPrompt(32, 100, seed: 1, index: 1));
        Assert.NotEqual(first, CompletionRequestBody.RandomPrompt(32, 100, seed: 2, index: 0));
        Assert.All(first, id => Assert.InRange(id, 0, 99));
    }

    [Theory]
    [InlineData("--concurrency", "0")]
    [InlineData("--concurrency", "1,x")]
    [InlineData("--dtype", "f64")]
    [InlineData("--requests", "0")]
    public void ABadCommandLineIsAUsageError(string option, string value)
    {
        var output = new StringWriter();
        var error = new StringWriter();

        int code = MynaApp.Run(["bench", "serve", "--json", option, value], output, error);

        Assert.Equal(MynaApp.UsageError, code);
        Assert.Equal("", output.ToString());
        Assert.StartsWith("error:", error.ToString(), StringComparison.Ordinal);
    }
}
