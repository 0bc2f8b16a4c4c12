using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LLama;
using LLama.Common;
using LLama.Native;
using Myna.Models;
using Myna.Models.Checkpoints.Gguf;
using Myna.Models.Inference;
using Myna.Tensors;
using Myna.Text.Tokenization;

namespace Myna.Bench.Generation;

/// <summary>
/// <c>myna bench generate</c>: prefill and decode speed of GPT-2-shaped random weights at f32, f16 and int8, beside
/// llama.cpp (LLamaSharp) running the same weights exported as GGUF f32, f16 and q8_0 in the same process.
/// </summary>
/// <remarks>
/// Prefill: one prompt of P tokens, logits for its last token. Decode: N more tokens one at a time (greedy), batch 1.
/// Batched decode: B sequences holding the same prompt each take one token per step for N steps; the figure is the
/// aggregate B·N / time. Every figure is the best of <see cref="GenerateOptions.Repeats"/> runs after one warm-up.
/// </remarks>
public static class GenerateBenchmark
{
    /// <summary>Runs the benchmark and writes JSON (when <paramref name="json"/>) or a table with ratios to llama.cpp.</summary>
    /// <exception cref="ArgumentException">An option is out of range or a dtype is unknown.</exception>
    public static IReadOnlyList<GenerateResult> Run(GenerateOptions options, TextWriter output, bool json, TextWriter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        GptConfig config = GptConfig.FromPreset(options.Preset);
        if (options.PromptTokens < 1 || options.NewTokens < 1 || options.Batch < 1 || options.Repeats < 1 || options.Threads < 1)
            throw new ArgumentException("prompt tokens, new tokens, batch, repeats and threads must all be at least 1.");
        if (options.PromptTokens + options.NewTokens > config.ContextLength)
            throw new ArgumentException($"prompt + new tokens ({options.PromptTokens + options.NewTokens}) exceed the context length {config.ContextLength}.");
        var precisions = options.Dtypes.Select(ParseDtype).ToList();

        progress?.WriteLine($"building random {options.Preset} weights…");
        GptWeights weights = RandomWeights(config, options.Seed);
        var random = new Random((int)options.Seed);
        int[] prompt = Enumerable.Range(0, options.PromptTokens).Select(_ => random.Next(config.VocabSize)).ToArray();

        var results = new List<GenerateResult>();
        string directory = Path.Combine(Path.GetTempPath(), "myna-bench-generate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            GgufVocabulary? vocabulary = options.SkipLlama ? null : Vocabulary(config);
            foreach ((string name, InferencePrecision precision, GgufTensorType ggufType) in precisions)
            {
                progress?.WriteLine($"myna {name}…");
                results.Add(MeasureMyna(weights, precision, name, prompt, options));
                progress?.WriteLine(Describe(results[^1]));
                if (vocabulary is null) continue;
                string path = Path.Combine(directory, $"model-{name}.gguf");
                Gpt2GgufExport.Write(path, weights, vocabulary, ggufType, "bench");
                progress?.WriteLine($"llama.cpp {GgufName(ggufType)}…");
                results.Add(MeasureLlama(path, GgufName(ggufType), prompt, options, config));
                progress?.WriteLine(Describe(results[^1]));
                File.Delete(path);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        if (json) output.WriteLine(JsonSerializer.Serialize(new { results }));
        else WriteTable(results, output, options);
        return results;
    }

    private static (string Name, InferencePrecision Precision, GgufTensorType Gguf) ParseDtype(string name) => name.Trim().ToLowerInvariant() switch
    {
        "f32" => ("f32", InferencePrecision.F32, GgufTensorType.F32),
        "f16" => ("f16", InferencePrecision.F16, GgufTensorType.F16),
        "int8" or "q8_0" => ("int8", InferencePrecision.Int8, GgufTensorType.Q8_0),
        _ => throw new ArgumentException($"unknown dtype '{name}'; use f32, f16 or int8."),
    };

    private static string GgufName(GgufTensorType type) => type switch
    {
        GgufTensorType.F32 => "f32",
        GgufTensorType.F16 => "f16",
        _ => "q8_0",
    };

    private static GptWeights RandomWeights(GptConfig config, ulong seed)
    {
        var model = new GptModel(config, 1, 1);
        model.InitializeRandom(seed);
        var weights = new GptWeights(config);
        model.Parameters.CopyTo(weights.Values);
        return weights;
    }

    private static GgufVocabulary Vocabulary(GptConfig config)
    {
        GptTokenizer tokenizer = GptTokenizer.Gpt2();
        var vocabulary = tokenizer.ExportVocabulary();
        var tokens = vocabulary.Tokens.ToList();
        for (int id = tokens.Count; id < config.VocabSize; id++) tokens.Add($"[PAD{id}]");
        var control = tokenizer.SpecialTokens.Select(s => s.Id).ToHashSet();
        int? eos = tokenizer.SpecialTokens.Select(s => (int?)s.Id).FirstOrDefault();
        return new GgufVocabulary(tokens, vocabulary.Merges.Select(m => $"{m.Left} {m.Right}").ToList(), control, eos, eos);
    }

    private static GenerateResult MeasureMyna(GptWeights weights, InferencePrecision precision, string name, int[] prompt, GenerateOptions options)
    {
        int v = weights.Config.VocabSize, batch = options.Batch, steps = options.NewTokens;
        var engine = new GptInference(weights, batch, precision);
        var logits = new float[batch * v];
        int[] sequences = Enumerable.Range(0, batch).ToArray(), ones = Enumerable.Repeat(1, batch).ToArray(), next = new int[batch];

        double Prefill()
        {
            for (int s = 0; s < batch; s++) engine.Reset(s);
            long start = Stopwatch.GetTimestamp();
            engine.Forward([0], [prompt.Length], prompt, logits);
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        double Decode(int width)
        {
            Prefill();
            for (int s = 1; s < width; s++) engine.CopySequence(0, s);
            for (int s = 0; s < width; s++) next[s] = ArgMax(logits.AsSpan(0, v));
            long start = Stopwatch.GetTimestamp();
            for (int step = 0; step < steps; step++)
            {
                engine.Forward(sequences.AsSpan(0, width), ones.AsSpan(0, width), next.AsSpan(0, width), logits);
                for (int s = 0; s < width; s++) next[s] = ArgMax(logits.AsSpan(s * v, v));
            }
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Prefill(); // warm-up: JIT and caches
        double prefill = Best(options.Repeats, Prefill);
        Decode(1);
        double decode = Best(options.Repeats, () => Decode(1));
        double batched = Best(options.Repeats, () => Decode(batch));
        return new GenerateResult("myna", name, ComputePool.Shared.ThreadCount, prompt.Length / prefill, steps / decode,
            batch, (double)batch * steps / batched, prompt.Length, steps, engine.WeightBytes);
    }

    private static GenerateResult MeasureLlama(string path, string dtype, int[] prompt, GenerateOptions options, GptConfig config)
    {
        NativeLogConfig.llama_log_set((level, message) => { });
        int v = config.VocabSize, batch = options.Batch, steps = options.NewTokens;
        var parameters = new ModelParams(path)
        {
            ContextSize = (uint)(batch * (prompt.Length + steps)),
            BatchSize = (uint)Math.Max(prompt.Length, batch),
            UBatchSize = (uint)Math.Max(prompt.Length, batch),
            SeqMax = (uint)batch,
            GpuLayerCount = 0,
            Threads = options.Threads,
            BatchThreads = options.Threads,
        };
        using LLamaWeights model = LLamaWeights.LoadFromFile(parameters);
        using LLamaContext context = model.CreateContext(parameters);
        var llamaBatch = new LLamaBatch();
        int[] next = new int[batch];

        double Prefill()
        {
            context.NativeHandle.MemoryClear(true);
            llamaBatch.Clear();
            for (int i = 0; i < prompt.Length; i++) llamaBatch.Add((LLamaToken)prompt[i], (LLamaPos)i, (LLamaSeqId)0, logits: i == prompt.Length - 1);
            long start = Stopwatch.GetTimestamp();
            Check(context.Decode(llamaBatch));
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        double Decode(int width)
        {
            Prefill();
            int first = ArgMax(context.NativeHandle.GetLogitsIth(prompt.Length - 1));
            for (int s = 1; s < width; s++) context.NativeHandle.MemorySequenceCopy((LLamaSeqId)0, (LLamaSeqId)s, 0, prompt.Length);
            Array.Fill(next, first);
            long start = Stopwatch.GetTimestamp();
            for (int step = 0; step < steps; step++)
            {
                llamaBatch.Clear();
                for (int s = 0; s < width; s++) llamaBatch.Add((LLamaToken)next[s], (LLamaPos)(prompt.Length + step), (LLamaSeqId)s, logits: true);
                Check(context.Decode(llamaBatch));
                for (int s = 0; s < width; s++) next[s] = ArgMax(context.NativeHandle.GetLogitsIth(s));
            }
            return Stopwatch.GetElapsedTime(start).TotalSeconds;
        }

        Prefill();
        double prefill = Best(options.Repeats, Prefill);
        Decode(1);
        double decode = Best(options.Repeats, () => Decode(1));
        double batched = Best(options.Repeats, () => Decode(batch));
        return new GenerateResult("llama.cpp", dtype, options.Threads, prompt.Length / prefill, steps / decode,
            batch, (double)batch * steps / batched, prompt.Length, steps, new FileInfo(path).Length);
    }

    private static string Describe(GenerateResult r) => string.Format(CultureInfo.InvariantCulture,
        "  {0} {1}: prefill {2:F1} t/s, decode {3:F1} t/s, batch {4} {5:F1} t/s", r.Engine, r.Dtype, r.PrefillTokensPerSecond, r.DecodeTokensPerSecond, r.Batch, r.BatchDecodeTokensPerSecond);

    private static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp decode failed: {result}.");
    }

    private static double Best(int repeats, Func<double> run)
    {
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++) best = Math.Min(best, run());
        return best;
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    private static void WriteTable(IReadOnlyList<GenerateResult> results, TextWriter output, GenerateOptions options)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        output.WriteLine($"GPT-2 {options.Preset} random weights; prefill {options.PromptTokens} tokens, decode {options.NewTokens} tokens; best of {options.Repeats}");
        output.WriteLine($"{"engine",-10} {"dtype",-5} {"thr",3} {"prefill t/s",12} {"decode t/s",11} {"batch",5} {"batch t/s",10} {"MB",7}   ratios vs llama.cpp (prefill, decode, batch)");
        foreach (GenerateResult r in results)
        {
            string ratios = "";
            if (r.Engine == "myna")
            {
                GenerateResult? peer = results.FirstOrDefault(p => p.Engine == "llama.cpp" && p.Dtype == (r.Dtype == "int8" ? "q8_0" : r.Dtype));
                if (peer is not null)
                    ratios = string.Format(c, "{0:F2}x  {1:F2}x  {2:F2}x", r.PrefillTokensPerSecond / peer.PrefillTokensPerSecond,
                        r.DecodeTokensPerSecond / peer.DecodeTokensPerSecond, r.BatchDecodeTokensPerSecond / peer.BatchDecodeTokensPerSecond);
            }
            output.WriteLine(string.Format(c, "{0,-10} {1,-5} {2,3} {3,12:F1} {4,11:F1} {5,5} {6,10:F1} {7,7:F0}   {8}",
                r.Engine, r.Dtype, r.Threads, r.PrefillTokensPerSecond, r.DecodeTokensPerSecond, r.Batch, r.BatchDecodeTokensPerSecond, r.WeightBytes / 1e6, ratios));
        }
    }
}
