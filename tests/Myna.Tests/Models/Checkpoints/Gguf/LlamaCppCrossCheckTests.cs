using LLama;
using LLama.Common;
using LLama.Native;
using Myna.Generation;
using Myna.Models;
using Myna.Models.Checkpoints.Gguf;
using Myna.Models.Inference;
using Myna.Text.Tokenization;

namespace Myna.Tests.Models.Checkpoints.Gguf;

/// <summary>
/// llama.cpp (through LLamaSharp) is an independent implementation of GPT-2: a model exported as GGUF must give it the
/// same logits as our engine, and its GPT-2 tokenizer must read our vocabulary and merges into the same ids.
/// </summary>
public sealed class LlamaCppCrossCheckTests : IDisposable
{
    private static readonly GptConfig Config = new() { VocabSize = 50257, ContextLength = 64, EmbeddingSize = 64, HeadCount = 4, LayerCount = 2 };
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "myna-gguf-" + Guid.NewGuid().ToString("N"));

    public LlamaCppCrossCheckTests()
    {
        Directory.CreateDirectory(_directory);
        NativeLogConfig.llama_log_set((level, message) => { });
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static GptLanguageModel RandomModel()
    {
        var model = new GptModel(Config, 1, 1);
        model.InitializeRandom(77);
        var weights = new GptWeights(Config);
        model.Parameters.CopyTo(weights.Values);
        // Give biases and gains values too, so a mix-up of any tensor shows in the logits.
        var random = new Random(1);
        foreach (ParameterEntry entry in weights.Layout.Entries.Where(e => e.Shape.Length == 1))
        {
            Span<float> values = weights.Of(entry);
            for (int i = 0; i < values.Length; i++) values[i] += (float)(random.NextDouble() - 0.5) * 0.4f;
        }
        return new GptLanguageModel(weights, GptTokenizer.Gpt2());
    }

    private static float[][] LlamaLogits(string path, int[] tokens, out int[] llamaTokens, string text)
    {
        var parameters = new ModelParams(path) { ContextSize = (uint)Config.ContextLength, GpuLayerCount = 0, BatchSize = (uint)Config.ContextLength };
        using LLamaWeights weights = LLamaWeights.LoadFromFile(parameters);
        using LLamaContext context = weights.CreateContext(parameters);
        llamaTokens = context.Tokenize(text, addBos: false, special: false).Select(t => (int)t).ToArray();

        var batch = new LLamaBatch();
        for (int i = 0; i < tokens.Length; i++) batch.Add((LLamaToken)tokens[i], (LLamaPos)i, (LLamaSeqId)0, logits: true);
        Assert.Equal(DecodeResult.Ok, context.Decode(batch));
        return Enumerable.Range(0, tokens.Length).Select(i => context.NativeHandle.GetLogitsIth(i).ToArray()).ToArray();
    }

    private static float[][] OurLogits(GptLanguageModel model, int[] tokens)
    {
        var logits = new float[tokens.Length * Config.VocabSize];
        new GptInference(model.Weights).Forward([0], [tokens.Length], tokens, logits, allPositions: true);
        return Enumerable.Range(0, tokens.Length).Select(i => logits.AsSpan(i * Config.VocabSize, Config.VocabSize).ToArray()).ToArray();
    }

    [Fact]
    public void Float32ExportGivesLlamaCppTheSameLogitsAndTokens()
    {
        GptLanguageModel model = RandomModel();
        string path = Path.Combine(_directory, "model-f32.gguf");
        model.ExportGguf(path, GgufTensorType.F32);

        const string text = "Hello, I am a product manager. It's 2026 — 你好 👋";
        int[] tokens = model.Tokenizer!.Encode(text);
        float[][] theirs = LlamaLogits(path, tokens, out int[] llamaTokens, text);
        float[][] ours = OurLogits(model, tokens);

        Assert.Equal(tokens, llamaTokens);
        double worst = 0;
        for (int t = 0; t < tokens.Length; t++)
            for (int v = 0; v < Config.VocabSize; v++)
                worst = Math.Max(worst, Math.Abs(ours[t][v] - theirs[t][v]));
        // Both run float32 with different summation orders; logits here span about ±3.
        Assert.True(worst < 2e-3, $"largest logit difference {worst}");
    }

    [Fact]
    public void Q8ExportStaysCloseAndPicksTheSameTopTokens()
    {
        GptLanguageModel model = RandomModel();
        string path = Path.Combine(_directory, "model-q8.gguf");
        model.ExportGguf(path, GgufTensorType.Q8_0);
        Assert.True(new FileInfo(path).Length < new FileInfo(WriteF32(model)).Length / 3);

        int[] tokens = model.Tokenizer!.Encode("The quick brown fox jumps over the lazy dog.");
        float[][] theirs = LlamaLogits(path, tokens, out _, "");
        float[][] ours = OurLogits(model, tokens);
        int agree = 0;
        for (int t = 0; t < tokens.Length; t++)
        {
            double worst = 0;
            for (int v = 0; v < Config.VocabSize; v++) worst = Math.Max(worst, Math.Abs(ours[t][v] - theirs[t][v]));
            Assert.True(worst < 0.15, $"position {t}: largest logit difference {worst}");
            if (ArgMax(ours[t]) == ArgMax(theirs[t])) agree++;
        }
        Assert.True(agree >= tokens.Length - 1, $"top tokens agree at {agree} of {tokens.Length} positions");
    }

    private string WriteF32(GptLanguageModel model)
    {
        string path = Path.Combine(_directory, "size-f32.gguf");
        model.ExportGguf(path, GgufTensorType.F32);
        return path;
    }

    private static int ArgMax(float[] values) => Array.IndexOf(values, values.Max());
}
