using Myna.Generation;
using Myna.Models.Inference;
using Myna.Text.Tokenization;

namespace Myna.Tests.Generation;

/// <summary><see cref="GenerationScheduler.StepCompleted"/>: one event per forward pass, agreeing with the counters, naming each request's first-token step once.</summary>
public sealed class SchedulerStepTests(TinyModelDirectory directory) : IClassFixture<TinyModelDirectory>
{
    [Fact]
    public void Every_step_is_reported_with_its_rows_and_each_request_starts_once()
    {
        var scheduler = new GenerationScheduler(new InferenceWeights(directory.Weights, InferencePrecision.F32), GptTokenizer.FromPretrained(directory.Path),
            TinyModelDirectory.EndOfText, new SchedulerOptions { Slots = 4, PrefillChunk = 5 });
        var steps = new List<SchedulerStep>();
        scheduler.StepCompleted += steps.Add;
        var options = new GenerationOptions { MaxNewTokens = 6, StopAtEndOfText = false };
        // Prompts of 12 and 3 tokens with a 5-token prefill budget: the long one takes three steps to start.
        GenerationRequest first = scheduler.Submit(Enumerable.Range(10, 12).ToArray(), options);
        GenerationRequest second = scheduler.Submit([1, 2, 3], options with { NumReturnSequences = 2, DoSample = true, Seed = 5 });
        scheduler.RunUntilIdle();
        Assert.True(first.Completion.IsCompletedSuccessfully && second.Completion.IsCompletedSuccessfully);

        SchedulerStatistics statistics = scheduler.Statistics;
        Assert.Equal(statistics.Steps, steps.Count);
        Assert.Equal(statistics.DecodeRows, steps.Sum(s => (long)s.DecodeRows));
        Assert.Equal(statistics.PrefillRows, steps.Sum(s => (long)s.PrefillRows));
        Assert.Equal(statistics.TokensGenerated, steps.Sum(s => (long)s.Sampled));
        Assert.All(steps, s => Assert.Equal(s.DecodeRows + s.PrefillRows, s.Rows));
        Assert.All(steps, s => Assert.True(s.ForwardTime <= s.StepTime));
        Assert.Equal(3 * 6, statistics.TokensGenerated);

        // Each request is named once, in the step that fed the last of its prompt.
        Assert.Single(steps, s => s.FirstTokens.Contains(first));
        Assert.Single(steps, s => s.FirstTokens.Contains(second));
        Assert.Equal(2, steps.Sum(s => s.FirstTokens.Count));
        int firstStarted = steps.FindIndex(s => s.FirstTokens.Contains(first));
        Assert.Equal(12, steps.Take(firstStarted + 1).Sum(s => s.PrefillRows) - 3); // 12 of its own plus the 3 of the short prompt fed alongside
    }

    [Fact]
    public void A_request_carries_its_owner_from_the_step_that_starts_it()
    {
        // The server's step hook finds a request's HTTP record through Owner: it must be there before the scheduler
        // can run the request's first step, which on a free scheduler thread is at once.
        var scheduler = new GenerationScheduler(new InferenceWeights(directory.Weights, InferencePrecision.F32), GptTokenizer.FromPretrained(directory.Path),
            TinyModelDirectory.EndOfText, new SchedulerOptions { Slots = 2 });
        var owners = new List<object?>();
        scheduler.StepCompleted += step => owners.AddRange(step.FirstTokens.Select(r => r.Owner));
        var record = new object();
        IReadOnlyList<GenerationRequest> requests = scheduler.SubmitAll([[1, 2, 3], [4, 5]], new GenerationOptions { MaxNewTokens = 2 }, owner: record);
        GenerationRequest alone = scheduler.Submit([7], new GenerationOptions { MaxNewTokens = 2 });
        scheduler.RunUntilIdle();

        Assert.All(requests, r => Assert.Same(record, r.Owner));
        Assert.Null(alone.Owner);
        Assert.Equal([record, record, null], owners);
    }
}
