using Myna.Generation;
using Myna.Models.Inference;
using Myna.Text.Tokenization;

namespace Myna.Tests.Generation;

public class GenerationSchedulerTests(TinyModelDirectory directory) : IClassFixture<TinyModelDirectory>
{
    private readonly GptTokenizer _tokenizer = GptTokenizer.FromPretrained(directory.Path);

    private GenerationScheduler Scheduler(InferencePrecision precision = InferencePrecision.F32, int slots = 1, int prefillChunk = 64, int chunkBuffer = 64) =>
        new(new InferenceWeights(directory.Weights, precision), _tokenizer, TinyModelDirectory.EndOfText,
            new SchedulerOptions { Slots = slots, PrefillChunk = prefillChunk, ChunkBuffer = chunkBuffer });

    [Fact]
    public void AMaxLengthThePromptAlreadyFillsIsRefusedRatherThanEchoingThePrompt()
    {
        var refused = Assert.Throws<ArgumentException>(() => Scheduler().Submit([5, 6, 7], new GenerationOptions { MaxLength = 2 }));
        Assert.Contains("3 tokens", refused.Message);
        Assert.Contains("--max-new-tokens", refused.Message);
        Assert.InRange(Solo([5, 6, 7], new GenerationOptions { MaxLength = 5 })[0].NewIds.Length, 1, 2);
    }

    /// <summary>The request run alone, on a scheduler of its own.</summary>
    private IReadOnlyList<GeneratedSequence> Solo(int[] prompt, GenerationOptions options, InferencePrecision precision = InferencePrecision.F32)
    {
        GenerationScheduler scheduler = Scheduler(precision, options.NumReturnSequences);
        GenerationRequest request = scheduler.Submit(prompt, options);
        scheduler.RunUntilIdle();
        return Done(request);
    }

    /// <summary>The results of a request that has ended (it has, once the scheduler ran until idle).</summary>
    private static IReadOnlyList<GeneratedSequence> Done(GenerationRequest request)
    {
        Assert.True(request.Completion.IsCompletedSuccessfully, $"the request is {request.State}");
        return request.Completion.Result;
    }

    private static void AssertSameSequences(IReadOnlyList<GeneratedSequence> expected, IReadOnlyList<GeneratedSequence> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].NewIds, actual[i].NewIds);
            Assert.Equal(expected[i].LogProbs, actual[i].LogProbs); // bit for bit
            Assert.Equal(expected[i].Text, actual[i].Text);
            Assert.Equal(expected[i].FinishReason, actual[i].FinishReason);
        }
    }

    /// <summary>Sixteen different requests: greedy and sampled, filters and penalties, prompts of 1 to 23 tokens.</summary>
    private static (int[] Prompt, GenerationOptions Options)[] Mixed(int count)
    {
        var random = new Random(17);
        return Enumerable.Range(0, count).Select(i =>
        {
            int[] prompt = Enumerable.Range(0, 1 + (i * 7) % 23).Select(_ => random.Next(256)).ToArray();
            var options = new GenerationOptions { MaxNewTokens = 8 + i % 9, ReturnLogProbs = true, StopAtEndOfText = i % 2 == 0 };
            options = (i % 4) switch
            {
                0 => options,
                1 => options with { DoSample = true, Seed = 100 + i, Temperature = 1.5f },
                2 => options with { DoSample = true, Seed = 7, TopK = 20, TopP = 0.9f, RepetitionPenalty = 1.3f },
                _ => options with { PresencePenalty = 0.5f, FrequencyPenalty = 0.3f, StopSequences = ["e", "zz"] },
            };
            return (prompt, options);
        }).ToArray();
    }

    [Theory]
    [InlineData(InferencePrecision.F32)]
    [InlineData(InferencePrecision.F16)]
    public void ARequestGivesItsSoloTokensAmongFifteenOthersBitForBit(InferencePrecision precision)
    {
        var requests = Mixed(16);
        // Sixteen slots and a small prefill budget: prompts are chunked and share steps with decoding rows.
        GenerationScheduler scheduler = Scheduler(precision, slots: 16, prefillChunk: 7);
        GenerationRequest[] submitted = requests.Select(r => scheduler.Submit(r.Prompt, r.Options)).ToArray();
        scheduler.RunUntilIdle();
        Assert.True(scheduler.Statistics.RowsPerStep > 4, "the requests did share steps");
        for (int i = 0; i < requests.Length; i++) AssertSameSequences(Solo(requests[i].Prompt, requests[i].Options, precision), Done(submitted[i]));
    }

    /// <summary>
    /// At int8 the rule is weaker (see <see cref="GenerationScheduler"/>): where the integer path quantises activations,
    /// a row's logits depend on the step's row count within rounding. This model's preferences are sharp, so tokens agree.
    /// </summary>
    [Fact]
    public void AtInt8ARequestGivesItsSoloTokensAmongOthers()
    {
        var requests = Mixed(16);
        GenerationScheduler scheduler = Scheduler(InferencePrecision.Int8, slots: 16, prefillChunk: 7);
        GenerationRequest[] submitted = requests.Select(r => scheduler.Submit(r.Prompt, r.Options)).ToArray();
        scheduler.RunUntilIdle();
        for (int i = 0; i < requests.Length; i += 4) // the greedy ones
        {
            GeneratedSequence solo = Solo(requests[i].Prompt, requests[i].Options, InferencePrecision.Int8)[0], batched = Done(submitted[i])[0];
            Assert.Equal(solo.NewIds, batched.NewIds);
            for (int t = 0; t < solo.LogProbs!.Length; t++) Assert.Equal(solo.LogProbs[t], batched.LogProbs![t], 2);
        }
    }

    [Fact]
    public void ARequestAdmittedWhileOthersDecodeGetsItsSoloResult()
    {
        GenerationScheduler scheduler = Scheduler(slots: 4);
        var first = new GenerationOptions { MaxNewTokens = 30, StopAtEndOfText = false, ReturnLogProbs = true };
        var second = new GenerationOptions { MaxNewTokens = 12, DoSample = true, Seed = 3, StopAtEndOfText = false, ReturnLogProbs = true };
        GenerationRequest a = scheduler.Submit([72, 105], first);
        for (int i = 0; i < 5; i++) Assert.True(scheduler.Step());
        Assert.Equal(RequestState.Decoding, a.State);
        GenerationRequest b = scheduler.Submit([65, 66, 67, 68], second);
        scheduler.RunUntilIdle();
        AssertSameSequences(Solo([72, 105], first), Done(a));
        AssertSameSequences(Solo([65, 66, 67, 68], second), Done(b));
    }

    [Fact]
    public void CancellationFreesTheSlotWithinOneStep()
    {
        GenerationScheduler scheduler = Scheduler(slots: 2);
        using var cancel = new CancellationTokenSource();
        GenerationRequest a = scheduler.Submit([1, 2, 3], new GenerationOptions { MaxNewTokens = 40, StopAtEndOfText = false }, cancel.Token);
        GenerationRequest b = scheduler.Submit([4, 5], new GenerationOptions { MaxNewTokens = 40, StopAtEndOfText = false });
        for (int i = 0; i < 3; i++) scheduler.Step();
        Assert.Equal(2, scheduler.SlotsInUse);
        cancel.Cancel();
        scheduler.Step();
        Assert.Equal(1, scheduler.SlotsInUse);
        Assert.Equal(1, scheduler.Running);
        Assert.Equal(RequestState.Cancelled, a.State);
        Assert.True(a.Completion.IsCanceled);
        scheduler.RunUntilIdle();
        Assert.Equal(40, Done(b)[0].NewIds.Length);
        Assert.Equal(0, scheduler.SlotsInUse);
    }

    [Fact]
    public void AQueuedRequestWhoseTokenIsCancelledNeverStarts()
    {
        GenerationScheduler scheduler = Scheduler(slots: 1);
        using var cancel = new CancellationTokenSource();
        GenerationRequest running = scheduler.Submit([1, 2, 3], new GenerationOptions { MaxNewTokens = 10, StopAtEndOfText = false });
        GenerationRequest queued = scheduler.Submit([9, 9, 9, 9, 9], new GenerationOptions { MaxNewTokens = 10 }, cancel.Token, stream: true);
        scheduler.Step();
        Assert.Equal(RequestState.Queued, queued.State);
        Assert.Equal(1, scheduler.Waiting);
        cancel.Cancel();
        scheduler.RunUntilIdle();
        Assert.Equal(RequestState.Cancelled, queued.State);
        Assert.True(queued.Completion.IsCanceled);
        Assert.Equal(3, scheduler.Statistics.PrefillRows); // only the running request's prompt was ever fed
        Assert.Equal(10, scheduler.Statistics.TokensGenerated);
        Assert.Equal(0, scheduler.Waiting);
        Assert.Equal(RequestState.Completed, running.State);
    }

    [Fact]
    public void ReturnSequencesSharingOnePrefillEqualIndependentSeededRunsWithTheSameChoiceIndex()
    {
        var options = new GenerationOptions { MaxNewTokens = 15, DoSample = true, Temperature = 1.7f, Seed = 5, NumReturnSequences = 3, ReturnLogProbs = true, StopAtEndOfText = false };
        int[] prompt = [10, 20, 30, 40];
        IReadOnlyList<GeneratedSequence> shared = Solo(prompt, options);
        Assert.Equal(3, shared.Count);
        Assert.True(shared.Select(s => string.Join(",", s.NewIds)).Distinct().Count() > 1);

        var weights = new InferenceWeights(directory.Weights);
        for (int choice = 0; choice < 3; choice++)
        {
            // A plain loop of its own: its own engine, prefill, and one token at a time.
            var engine = new GptInference(weights);
            var decoder = new SequenceDecoder(prompt, options, 5, choice, _tokenizer, TinyModelDirectory.EndOfText, weights.Config.ContextLength);
            float[] logits = engine.Forward(0, prompt);
            while (true)
            {
                GenerationChunk chunk = decoder.Accept(logits);
                if (decoder.IsFinished) break;
                logits = engine.Forward(0, [chunk.TokenId]);
            }
            AssertSameSequences([decoder.ToResult()], [shared[choice]]);
        }
    }

    [Fact]
    public void APromptReusesTheCachedPrefixOfAnIdleSlot()
    {
        GenerationScheduler scheduler = Scheduler(slots: 1);
        var options = new GenerationOptions { MaxNewTokens = 6, StopAtEndOfText = false, ReturnLogProbs = true };
        int[] first = [5, 6, 7, 8, 9];
        GenerationRequest a = scheduler.Submit(first, options);
        scheduler.RunUntilIdle();
        int[] second = [.. first, .. Done(a)[0].NewIds.Take(3), 100, 101];
        GenerationRequest b = scheduler.Submit(second, options);
        scheduler.RunUntilIdle();
        Assert.Equal(first.Length + 3, b.ReusedPromptTokens);
        Assert.Equal(first.Length + 3, scheduler.Statistics.ReusedPromptTokens);
        AssertSameSequences(Solo(second, options), Done(b));
    }

    [Fact]
    public void AStreamWhoseReaderIsBehindWaitsWithoutHoldingUpOthers()
    {
        GenerationScheduler scheduler = Scheduler(slots: 2, chunkBuffer: 2);
        var options = new GenerationOptions { MaxNewTokens = 10, StopAtEndOfText = false };
        GenerationRequest slow = scheduler.Submit([1, 2], options, stream: true);
        GenerationRequest other = scheduler.Submit([3, 4], options);
        for (int i = 0; i < 6; i++) scheduler.Step();
        Assert.Equal(2, slow.Chunks!.Count);               // the buffer is full: it waits
        Assert.Equal(RequestState.Decoding, slow.State);
        Assert.Equal(6, other.Decoders[0].NewTokenCount);  // the other kept its pace
        var tokens = new List<int>();
        while (slow.State != RequestState.Completed || slow.Chunks.Count > 0)
        {
            while (slow.Chunks.TryRead(out GenerationChunk? chunk)) tokens.Add(chunk.TokenId);
            scheduler.Step();
        }
        Assert.Equal(Solo([1, 2], options)[0].NewIds, tokens);
    }

    [Fact]
    public async Task TheAsyncDriverStreamsChunksThatAddUpToTheResult()
    {
        GenerationScheduler scheduler = Scheduler(slots: 2);
        using var stop = new CancellationTokenSource();
        Task driver = scheduler.RunAsync(stop.Token);
        var options = new GenerationOptions { MaxNewTokens = 20, StopAtEndOfText = false, StopSequences = ["q"] };
        GenerationRequest request = scheduler.Submit(_tokenizer.Encode("Hello"), options, stream: true);
        var text = new System.Text.StringBuilder();
        await foreach (GenerationChunk chunk in request.Chunks!.ReadAllAsync()) text.Append(chunk.Text);
        GeneratedSequence result = (await request.Completion)[0];
        Assert.Equal(result.Text, text.ToString());
        Assert.Equal(Solo(_tokenizer.Encode("Hello"), options)[0].NewIds, result.NewIds);
        Assert.Throws<InvalidOperationException>(() => scheduler.Step());
        await stop.CancelAsync();
        await driver;
    }

    [Fact]
    public void SubmissionChecksPromptsOptionsAndTheQueue()
    {
        var scheduler = new GenerationScheduler(new InferenceWeights(directory.Weights), _tokenizer, TinyModelDirectory.EndOfText,
            new SchedulerOptions { Slots = 2, MaxQueue = 1 });
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => scheduler.Submit([], new GenerationOptions())).Message);
        Assert.Contains("vocabulary", Assert.Throws<ArgumentException>(() => scheduler.Submit([300], new GenerationOptions())).Message);
        Assert.Contains("at most 2", Assert.Throws<ArgumentException>(() => scheduler.Submit([1], new GenerationOptions { DoSample = true, NumReturnSequences = 3 })).Message);
        scheduler.Submit([1], new GenerationOptions());
        Assert.Throws<SchedulerQueueFullException>(() => scheduler.Submit([1], new GenerationOptions()));
    }
}
