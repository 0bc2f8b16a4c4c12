using Myna.Generation;
using Myna.Models.Inference;
using Myna.Text.Tokenization;

namespace Myna.Tests.Generation;

/// <summary>
/// Prompt scoring (<see cref="GenerationOptions.PromptLogProbs"/>, completions' echo with logprobs) against an independent
/// computation: one full forward of the prompt with logits at every position and a log-softmax in double.
/// </summary>
public class PromptLogProbsTests(TinyModelDirectory directory) : IClassFixture<TinyModelDirectory>
{
    private readonly GptTokenizer _tokenizer = GptTokenizer.FromPretrained(directory.Path);

    /// <summary>The reference: log p(prompt[i] | prompt[..i]) for i ≥ 1, and each position's log-softmax row, in double.</summary>
    private double[][] ReferenceRows(int[] prompt)
    {
        int vocab = directory.Weights.Config.VocabSize;
        var logits = new float[prompt.Length * vocab];
        new GptInference(directory.Weights).Forward([0], [prompt.Length], prompt, logits, allPositions: true);
        return Enumerable.Range(0, prompt.Length).Select(r =>
        {
            float[] row = logits.AsSpan(r * vocab, vocab).ToArray();
            double max = row.Max(), logSum = Math.Log(row.Sum(v => Math.Exp(v - max)));
            return row.Select(v => v - max - logSum).ToArray();
        }).ToArray();
    }

    [Fact]
    public async Task Prompt_log_probabilities_equal_a_full_forward_chunked_and_batched_with_others()
    {
        int[] prompt = _tokenizer.Encode("The quick brown fox jumps over the lazy dog.");
        double[][] reference = ReferenceRows(prompt);
        // Small prefill chunks so the prompt spans several steps, and another request decoding in the same steps.
        var scheduler = new GenerationScheduler(new InferenceWeights(directory.Weights, InferencePrecision.F32), _tokenizer, TinyModelDirectory.EndOfText,
            new SchedulerOptions { Slots = 3, PrefillChunk = 7 });
        // The same prompt ran before, so an idle slot holds it; a scored prompt must not reuse it (those positions would have no logits).
        scheduler.Submit(prompt, new GenerationOptions { MaxNewTokens = 2 });
        scheduler.RunUntilIdle();
        GenerationRequest neighbour = scheduler.Submit([65, 66], new GenerationOptions { MaxNewTokens = 20, StopAtEndOfText = false });
        scheduler.Step();
        GenerationRequest scored = scheduler.Submit(prompt, new GenerationOptions { MaxNewTokens = 3, PromptLogProbs = 4, StopAtEndOfText = false });
        scheduler.RunUntilIdle();
        Assert.True(neighbour.Completion.IsCompletedSuccessfully);
        Assert.Equal(0, scored.ReusedPromptTokens);

        GeneratedSequence result = (await scored.Completion)[0];
        Assert.NotNull(result.PromptLogProbs);
        Assert.NotNull(result.PromptTopLogProbs);
        Assert.Equal(prompt.Length, result.PromptLogProbs.Length);
        Assert.True(float.IsNaN(result.PromptLogProbs[0]));
        Assert.Empty(result.PromptTopLogProbs[0]);
        for (int i = 1; i < prompt.Length; i++)
        {
            double[] row = reference[i - 1];
            Assert.Equal(row[prompt[i]], result.PromptLogProbs[i], 1e-5);
            int[] expectedTop = Enumerable.Range(0, row.Length).OrderByDescending(t => row[t]).Take(4).ToArray();
            Assert.Equal(expectedTop, result.PromptTopLogProbs[i].Select(t => t.TokenId));
            foreach (TokenLogProbability entry in result.PromptTopLogProbs[i]) Assert.Equal(row[entry.TokenId], entry.LogProb, 1e-5);
        }
    }

    [Fact]
    public async Task A_long_prompt_is_scored_a_bounded_number_of_rows_per_step()
    {
        using var big = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 256);
        int[] prompt = [.. Enumerable.Range(0, 150).Select(i => 32 + i * 7 % 90)];
        var scheduler = new GenerationScheduler(new InferenceWeights(big.Weights, InferencePrecision.F32), _tokenizer, TinyModelDirectory.EndOfText,
            new SchedulerOptions { Slots = 1, PrefillChunk = 512 });
        GenerationRequest scored = scheduler.Submit(prompt, new GenerationOptions { MaxNewTokens = 1, PromptLogProbs = 1 });
        scheduler.RunUntilIdle();
        Assert.Equal(3, scheduler.Statistics.Steps); // 64 + 64 + 22 prompt rows; the last step also picks the one new token
        float[] logProbs = (await scored.Completion)[0].PromptLogProbs!;

        int vocab = big.Weights.Config.VocabSize;
        var logits = new float[prompt.Length * vocab];
        new GptInference(big.Weights).Forward([0], [prompt.Length], prompt, logits, allPositions: true);
        for (int i = 1; i < prompt.Length; i++)
        {
            float[] row = logits.AsSpan((i - 1) * vocab, vocab).ToArray();
            double max = row.Max(), expected = row[prompt[i]] - max - Math.Log(row.Sum(v => Math.Exp(v - max)));
            Assert.Equal(expected, logProbs[i], 1e-5);
        }
    }

    [Fact]
    public async Task A_prompt_can_be_scored_without_generating_anything()
    {
        int[] prompt = _tokenizer.Encode("Score me, please.");
        var scheduler = new GenerationScheduler(new InferenceWeights(directory.Weights, InferencePrecision.F32), _tokenizer, TinyModelDirectory.EndOfText,
            new SchedulerOptions { Slots = 2 });
        GenerationRequest request = scheduler.Submit(prompt, new GenerationOptions { MaxNewTokens = 0, PromptLogProbs = 2, DoSample = true, NumReturnSequences = 2 });
        scheduler.RunUntilIdle();
        IReadOnlyList<GeneratedSequence> results = await request.Completion;
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Empty(r.NewIds));
        Assert.All(results, r => Assert.Equal(FinishReason.Length, r.FinishReason));
        Assert.All(results[0].PromptLogProbs!.Skip(1), p => Assert.InRange(p, -100f, 0f));
        Assert.Equal(prompt.Length, scheduler.Statistics.PrefillRows);
        Assert.Equal(0, scheduler.Statistics.TokensGenerated);
        Assert.Equal(0, scheduler.SlotsInUse);
        Assert.Equal(0, scheduler.Running);
    }

    [Fact]
    public void Scoring_the_prompt_leaves_the_generated_tokens_unchanged()
    {
        int[] prompt = _tokenizer.Encode("Once upon a time");
        var plain = new GenerationOptions { MaxNewTokens = 12, ReturnLogProbs = true, StopAtEndOfText = false };
        var model = GptLanguageModel.FromPretrained(directory.Path);
        GeneratedSequence expected = model.GenerateDetailed([prompt], plain)[0];
        GeneratedSequence actual = model.GenerateDetailed([prompt], plain with { PromptLogProbs = 0 })[0];
        Assert.Equal(expected.NewIds, actual.NewIds);
        Assert.Equal(expected.LogProbs, actual.LogProbs);
        Assert.Null(expected.PromptLogProbs);
        Assert.All(actual.PromptTopLogProbs!, Assert.Empty);
    }
}
