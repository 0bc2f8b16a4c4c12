using LLama;
using LLama.Common;
using LLama.Native;
using Myna.Generation;
using Myna.Models;
using Myna.Models.Checkpoints.Gguf;
using Myna.Models.Inference;
using Myna.Text.Tokenization;
using Xunit.Abstractions;

namespace Myna.Tests.Models.Checkpoints.Gguf;

/// <summary>
/// Greedy continuations of several prompts must be the same token for token in Myna and in llama.cpp (LLamaSharp),
/// driven one decode step at a time, at each precision: Myna f32/f16/int8 against the GGUF f32/f16/q8_0 export.
/// </summary>
/// <remarks>
/// Greedy choices of random weights are often near-ties (the top two of 50257 logits a hair apart), which float noise
/// could flip. So the model is made decisive: 256 token rows of the tied embedding are scaled up ×3 (their logits then
/// spread far above the rest's), and the final norm's gain is ×−3: negative, so the tied head stops echoing the last
/// token (random GPT-2s otherwise repeat one token forever). Each of Myna's choices must lead the runner-up by more than
/// the engines' numerical noise; f32 and f16 continuations must match in full. For int8 against q8_0 (llama.cpp also
/// rounds activations to 8 bits) the comparison of a prompt stops at its first choice that is within that noise.
/// </remarks>
public sealed class LlamaCppGreedyContinuationTests(ITestOutputHelper log) : IDisposable
{
    private static readonly GptConfig Config = new() { VocabSize = 50257, ContextLength = 64, EmbeddingSize = 64, HeadCount = 4, LayerCount = 2 };
    private const int NewTokens = 12, BoostedTokens = 256;
    private const float BlockGain = 1f;
    private static readonly string[] Prompts = ["Hello, I am a product manager.", "The quick brown fox", "Once upon a time", "1 2 3 4", "你好"];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "myna-greedy-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }

    private static GptLanguageModel DecisiveModel(InferencePrecision precision)
    {
        var model = new GptModel(Config, 1, 1);
        model.InitializeRandom(5);
        var weights = new GptWeights(Config);
        model.Parameters.CopyTo(weights.Values);
        Span<float> wte = weights.Of(weights.Layout.TokenEmbedding);
        var random = new Random(12);
        int c = Config.EmbeddingSize;
        for (int i = 0; i < BoostedTokens; i++)
        {
            Span<float> row = wte.Slice(random.Next(Config.VocabSize) * c, c);
            for (int j = 0; j < c; j++) row[j] *= 3f;
        }
        // Louder blocks: the residual stream then follows the context rather than echoing the last token's embedding.
        foreach (BlockParameters block in weights.Layout.Blocks)
        {
            foreach (ParameterEntry entry in new[] { block.AttentionProjWeight, block.FcProjWeight })
            {
                Span<float> values = weights.Of(entry);
                for (int j = 0; j < values.Length; j++) values[j] *= BlockGain;
            }
        }
        Span<float> gain = weights.Of(weights.Layout.FinalNormWeight);
        for (int j = 0; j < c; j++) gain[j] *= -3f;
        return new GptLanguageModel(weights, GptTokenizer.Gpt2(), precision: precision);
    }

    private static (int[] Tokens, double[] Margins) MynaGreedy(GptLanguageModel model, int[] prompt)
    {
        var engine = new GptInference(model.Weights, 1, model.Precision);
        float[] logits = engine.Forward(0, prompt);
        var generated = new int[NewTokens];
        var margins = new double[NewTokens];
        for (int t = 0; t < NewTokens; t++)
        {
            (generated[t], margins[t]) = Top(logits);
            if (t + 1 < NewTokens) logits = engine.Forward(0, [generated[t]]);
        }
        return (generated, margins);
    }

    /// <summary>The argmax and its lead over the runner-up, as a fraction of the logits' spread.</summary>
    private static (int Best, double Margin) Top(ReadOnlySpan<float> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++) if (logits[i] > logits[best]) best = i;
        float second = float.NegativeInfinity, min = float.PositiveInfinity;
        for (int i = 0; i < logits.Length; i++)
        {
            if (i != best && logits[i] > second) second = logits[i];
            min = Math.Min(min, logits[i]);
        }
        return (best, (logits[best] - second) / (logits[best] - min));
    }

    private static int[] LlamaGreedy(LLamaContext context, int[] prompt)
    {
        context.NativeHandle.MemoryClear(true);
        var batch = new LLamaBatch();
        for (int i = 0; i < prompt.Length; i++) batch.Add((LLamaToken)prompt[i], (LLamaPos)i, (LLamaSeqId)0, logits: i == prompt.Length - 1);
        Assert.Equal(DecodeResult.Ok, context.Decode(batch));
        int index = prompt.Length - 1;
        var generated = new int[NewTokens];
        for (int t = 0; t < NewTokens; t++)
        {
            generated[t] = Top(context.NativeHandle.GetLogitsIth(index)).Best;
            if (t + 1 == NewTokens) break;
            batch.Clear();
            batch.Add((LLamaToken)generated[t], (LLamaPos)(prompt.Length + t), (LLamaSeqId)0, logits: true);
            Assert.Equal(DecodeResult.Ok, context.Decode(batch));
            index = 0;
        }
        return generated;
    }

    /// <param name="noise">How far apart the two engines' logits may be, as a fraction of their spread: f32 sums in another
    /// order; llama.cpp rounds activations to f16 for f16 weights and to q8_0 blocks for q8_0 weights.</param>
    /// <param name="minimumCompared">Tokens (of 5 × 12) that must be compared: all of them unless a choice is within noise.</param>
    [Theory]
    [InlineData(InferencePrecision.F32, GgufTensorType.F32, 2e-4, 60)]
    [InlineData(InferencePrecision.F16, GgufTensorType.F16, 5e-4, 60)]
    [InlineData(InferencePrecision.Int8, GgufTensorType.Q8_0, 2e-3, 30)]
    public void GreedyContinuationsAreIdenticalToLlamaCpp(InferencePrecision precision, GgufTensorType ggufType, double noise, int minimumCompared)
    {
        NativeLogConfig.llama_log_set((level, message) => { });
        Directory.CreateDirectory(_directory);
        GptLanguageModel model = DecisiveModel(precision);
        string path = Path.Combine(_directory, $"model-{ggufType}.gguf");
        model.ExportGguf(path, ggufType);
        var parameters = new ModelParams(path) { ContextSize = (uint)Config.ContextLength, GpuLayerCount = 0, BatchSize = (uint)Config.ContextLength };
        using LLamaWeights weights = LLamaWeights.LoadFromFile(parameters);
        using LLamaContext context = weights.CreateContext(parameters);

        int compared = 0;
        foreach (string prompt in Prompts)
        {
            int[] ids = model.Tokenizer!.Encode(prompt);
            (int[] ours, double[] margins) = MynaGreedy(model, ids);
            int[] theirs = LlamaGreedy(context, ids);
            // Compare up to the first choice that is within noise: after a true near-tie the paths may rightly part.
            int decisive = Array.FindIndex(margins, m => m < noise);
            if (decisive < 0) decisive = NewTokens;
            compared += decisive;
            log.WriteLine($"{precision} '{prompt}': [{string.Join(",", ours)}], smallest lead {margins.Min():E2} of the logit spread; {decisive} decisive");
            Assert.Equal(ours[..decisive], theirs[..decisive]);
            Assert.Equal(ours, model.Generate(ids, new GenerationOptions { MaxNewTokens = NewTokens, StopAtEndOfText = false })[0][ids.Length..]);
        }
        Assert.True(compared >= minimumCompared, $"only {compared} greedy choices were clear of noise; pick a more decisive model");
    }
}
