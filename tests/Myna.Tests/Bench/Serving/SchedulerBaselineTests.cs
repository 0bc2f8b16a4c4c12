using Myna.Bench.Serving;
using Myna.Generation;
using Myna.Tests.Generation;

namespace Myna.Tests.Bench.Serving;

/// <summary>The server's requests through its scheduler alone: every request runs to its length, at most the concurrency at once.</summary>
public sealed class SchedulerBaselineTests(TinyModelDirectory directory) : IClassFixture<TinyModelDirectory>
{
    [Fact]
    public void EveryRequestGeneratesItsTokensAndTheRateCountsThemAll()
    {
        GptLanguageModel model = GptLanguageModel.FromPretrained(directory.Path);
        int idLimit = model.EndOfTextId ?? model.Config.VocabSize;

        SchedulerBaselineRun run = SchedulerBaseline.Measure(model, new SchedulerOptions { Slots = 8, MaxQueue = 1 }, concurrency: 3, requests: 7,
            promptTokens: 5, newTokens: 6, idLimit, seed: 1);

        Assert.Equal(3, run.Concurrency);
        Assert.Equal(7, run.Requests);
        Assert.Equal(7 * 6, run.OutputTokens); // ignore_eos: every request runs to its length
        Assert.True(run.Seconds > 0);
        Assert.Equal(run.OutputTokens / run.Seconds, run.OutputTokensPerSecond, 6);
    }

    [Fact]
    public void NoClientsOrNoRequestsIsAClearError()
    {
        GptLanguageModel model = GptLanguageModel.FromPretrained(directory.Path);
        Assert.Throws<ArgumentException>(() => SchedulerBaseline.Measure(model, new SchedulerOptions(), 0, 1, 5, 6, 10, 1));
        Assert.Throws<ArgumentException>(() => SchedulerBaseline.Measure(model, new SchedulerOptions(), 1, 0, 5, 6, 10, 1));
    }
}
