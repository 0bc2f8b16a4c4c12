using Myna.Generation;
using Myna.Text.Tokenization;

namespace Myna.Tests.Generation;

public class GptLanguageModelTests(TinyModelDirectory directory) : IClassFixture<TinyModelDirectory>
{
    [Fact]
    public void FromPretrainedAndGenerateWorkLikeTransformers()
    {
        var tokenizer = GptTokenizer.FromPretrained(directory.Path);
        var model = GptLanguageModel.FromPretrained(directory.Path);
        int[] inputIds = tokenizer.Encode("Hello, I am a product manager.");
        int[][] output = model.Generate(inputIds, new GenerationOptions { MaxLength = 40, NumReturnSequences = 1, StopAtEndOfText = false });

        Assert.Single(output);
        Assert.Equal(40, output[0].Length);
        Assert.Equal(inputIds, output[0][..inputIds.Length]);
        Assert.Equal(TinyModelDirectory.EndOfText, model.EndOfTextId);
        Assert.NotNull(tokenizer.Decode(output[0], skipSpecialTokens: true));
    }

    [Fact]
    public void GreedyIsDeterministic()
    {
        var model = GptLanguageModel.FromPretrained(directory.Path);
        var options = new GenerationOptions { MaxNewTokens = 20, StopAtEndOfText = false };
        Assert.Equal(model.Generate([72, 105], options), model.Generate([72, 105], options));
    }

    [Fact]
    public void SamplingIsReproducibleFromTheSeedAndReturnSequencesDiffer()
    {
        var model = GptLanguageModel.FromPretrained(directory.Path);
        var options = new GenerationOptions { MaxNewTokens = 16, DoSample = true, TopK = 100, TopP = 0.99f, Temperature = 5f, NumReturnSequences = 3, Seed = 9, StopAtEndOfText = false };
        int[][] first = model.Generate([72, 105], options);
        Assert.Equal(first, model.Generate([72, 105], options));
        Assert.Equal(3, first.Length);
        Assert.True(first.Distinct(new SequenceComparer()).Count() > 1);
        Assert.NotEqual(first, model.Generate([72, 105], options with { Seed = 10 }));
    }

    [Fact]
    public void BatchedPromptsOfDifferentLengthsMatchOneByOne()
    {
        var model = GptLanguageModel.FromPretrained(directory.Path);
        var options = new GenerationOptions { MaxNewTokens = 12, StopAtEndOfText = false };
        int[][] prompts = [[72], [72, 101, 108, 108, 111], [65, 66, 67]];
        IReadOnlyList<GeneratedSequence> batched = model.GenerateDetailed(prompts, options);
        for (int i = 0; i < prompts.Length; i++) Assert.Equal(model.Generate(prompts[i], options)[0], batched[i].Ids);
    }

    [Fact]
    public void StopSequenceCutsTheTextAndEndsGeneration()
    {
        var model = GptLanguageModel.FromPretrained(directory.Path);
        GeneratedSequence free = model.GenerateText("Hi", new GenerationOptions { MaxNewTokens = 30, StopAtEndOfText = false })[0];
        string stop = free.Text.Substring(10, 2);
        GeneratedSequence stopped = model.GenerateText("Hi", new GenerationOptions { MaxNewTokens = 30, StopAtEndOfText = false, StopSequences = [stop] })[0];
        Assert.Equal(FinishReason.StopSequence, stopped.FinishReason);
        Assert.Equal(free.Text[..free.Text.IndexOf(stop, StringComparison.Ordinal)], stopped.Text);
        Assert.DoesNotContain(stop, stopped.Text);
    }

    [Fact]
    public void EndOfTextStopsGenerationAndIsKeptInTheIds()
    {
        using TinyModelDirectory untied = TinyModelDirectory.Create(tiedEmbeddings: false);
        var model = GptLanguageModel.FromPretrained(untied.Path);
        // Make <|endoftext|> the clear favourite: ln_f outputs are shifted by +1 and its lm_head row is large and constant.
        model.Weights.Of("ln_f.bias").Fill(1f);
        int c = model.Config.EmbeddingSize;
        model.Weights.Of("lm_head.weight").Slice(TinyModelDirectory.EndOfText * c, c).Fill(50f);

        GeneratedSequence result = model.GenerateDetailed([[1, 2, 3]], new GenerationOptions { MaxNewTokens = 10 })[0];
        Assert.Equal(FinishReason.EndOfText, result.FinishReason);
        Assert.Equal([TinyModelDirectory.EndOfText], result.NewIds);
        Assert.Equal("", result.Text);

        GeneratedSequence ignored = model.GenerateDetailed([[1, 2, 3]], new GenerationOptions { MaxNewTokens = 10, StopAtEndOfText = false })[0];
        Assert.Equal(10, ignored.NewIds.Length);
        Assert.Equal(FinishReason.Length, ignored.FinishReason);
    }

    [Fact]
    public void ContextWindowIsNeverSlidSilently()
    {
        var model = GptLanguageModel.FromPretrained(directory.Path);
        int context = model.Config.ContextLength;
        GeneratedSequence full = model.GenerateDetailed([Enumerable.Repeat(65, context - 3).ToArray()], new GenerationOptions { MaxNewTokens = 10, StopAtEndOfText = false })[0];
        Assert.Equal(FinishReason.ContextFull, full.FinishReason);
        Assert.Equal(4, full.NewIds.Length);
        Assert.Contains("context", Assert.Throws<ArgumentException>(() => model.Generate(Enumerable.Repeat(65, context + 1).ToArray())).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => model.Generate([])).Message);
    }

    [Fact]
    public void LogProbabilitiesComeBackWhenAsked()
    {
        var model = GptLanguageModel.FromPretrained(directory.Path);
        GeneratedSequence result = model.GenerateDetailed([[72]], new GenerationOptions { MaxNewTokens = 5, ReturnLogProbs = true, StopAtEndOfText = false })[0];
        Assert.Equal(5, result.LogProbs!.Length);
        Assert.All(result.LogProbs, p => Assert.InRange(p, float.NegativeInfinity, 0f));
    }

    [Fact]
    public async Task StreamedTextConcatenatesToTheFinalTextAndCancellationStops()
    {
        var model = GptLanguageModel.FromPretrained(directory.Path);
        var options = new GenerationOptions { MaxNewTokens = 25, StopAtEndOfText = false, StopSequences = ["zz"] };
        string expected = model.GenerateText("Hello", options)[0].Text;
        var streamed = new System.Text.StringBuilder();
        await foreach (string piece in model.StreamTextAsync("Hello", options)) streamed.Append(piece);
        Assert.Equal(expected, streamed.ToString());

        using var cancel = new CancellationTokenSource();
        int seen = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (GenerationChunk _ in model.GenerateStreamAsync([72], new GenerationOptions { MaxNewTokens = 50, StopAtEndOfText = false }, cancel.Token))
            {
                if (++seen == 3) cancel.Cancel();
            }
        });
        Assert.InRange(seen, 3, 10);
    }

    [Fact]
    public async Task ConcurrentCallsShareTheSchedulerAndEachGetsItsOwnResult()
    {
        var model = GptLanguageModel.FromPretrained(directory.Path);
        var greedy = new GenerationOptions { MaxNewTokens = 15, StopAtEndOfText = false, ReturnLogProbs = true };
        var sampled = greedy with { DoSample = true, Seed = 4, NumReturnSequences = 2 };
        IReadOnlyList<GeneratedSequence> alone1 = model.GenerateDetailed([[72, 105]], greedy), alone2 = model.GenerateDetailed([[65]], sampled);
        Task<IReadOnlyList<GeneratedSequence>>[] calls = [.. Enumerable.Range(0, 6).Select(i => i % 2 == 0
            ? Task.Run(() => model.GenerateDetailedAsync([[72, 105]], greedy))
            : Task.Run(() => model.GenerateDetailedAsync([[65]], sampled)))];
        IReadOnlyList<GeneratedSequence>[] results = await Task.WhenAll(calls);
        for (int i = 0; i < results.Length; i++)
        {
            IReadOnlyList<GeneratedSequence> expected = i % 2 == 0 ? alone1 : alone2;
            Assert.Equal(expected.Select(s => s.NewIds), results[i].Select(s => s.NewIds));
            Assert.Equal(expected.Select(s => s.LogProbs), results[i].Select(s => s.LogProbs));
        }
    }

    private sealed class SequenceComparer : IEqualityComparer<int[]>
    {
        public bool Equals(int[]? x, int[]? y) => x!.SequenceEqual(y!);
        public int GetHashCode(int[] obj) => obj.Length;
    }
}
