using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using LLama;
using LLama.Common;
using LLama.Native;
using Myna.Generation;
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
/// aggregate B·N / time. Both engines are loaded side by side and measured in alternating rounds (Myna, then
/// llama.cpp, <see cref="GenerateOptions.Repeats"/> times after a warm-up round each), and every figure is the best
/// of its rounds: memory bandwidth on a shared machine drifts over seconds, and alternating keeps a slow spell from
/// falling on one engine only.
/// </remarks>
public static class GenerateBenchmark
{
    /// <summary>How long llama.cpp's OpenMP workers may keep spinning after its round; Myna's round waits this out.</summary>
    private static readonly TimeSpan PeerSettle = TimeSpan.FromMilliseconds(20);

    /// <summary>Runs the benchmark and writes JSON (when <paramref name="json"/>) or a table with ratios to llama.cpp.</summary>
    /// <exception cref="ArgumentException">An option is out of range or a dtype is unknown.</exception>
    public static GenerateReport Run(GenerateOptions options, TextWriter output, bool json, TextWriter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        GenerateReport report = Measure(options, progress);
        if (json) output.WriteLine(JsonSerializer.Serialize(report));
        else WriteTable(report, output, options);
        return report;
    }

    /// <summary>Measures both engines at this process's tier and returns the figures.</summary>
    /// <exception cref="ArgumentException">An option is out of range or a dtype is unknown.</exception>
    public static GenerateReport Measure(GenerateOptions options, TextWriter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        GptConfig config = GptConfig.FromPreset(options.Preset);
        Validate(options, config);
        progress?.WriteLine($"building random {options.Preset} weights…");
        return Measure(RandomWeights(config, options.Seed), options, progress);
    }

    /// <summary>
    /// As <see cref="Measure(GenerateOptions, TextWriter?)"/>, over given weights (their shape, not
    /// <see cref="GenerateOptions.Preset"/>). llama.cpp gets them with GPT-2's vocabulary, so weights of another
    /// vocabulary need <see cref="GenerateOptions.SkipLlama"/>.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range or a dtype is unknown.</exception>
    public static GenerateReport Measure(GptWeights weights, GenerateOptions options, TextWriter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(options);
        GptConfig config = weights.Config;
        Validate(options, config);
        var precisions = options.Dtypes.Select(ParseDtype).ToList();

        var random = new Random((int)options.Seed);
        int[] prompt = Enumerable.Range(0, options.PromptTokens).Select(_ => random.Next(config.VocabSize)).ToArray();

        var results = new List<GenerateResult>();
        string directory = Path.Combine(Path.GetTempPath(), "myna-bench-generate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            GgufVocabulary? vocabulary = options.SkipLlama ? null : Vocabulary(config);
            if (!options.SkipLlama) LlamaNative.Select(SimdTiers.Current);
            foreach ((string name, InferencePrecision precision, GgufTensorType ggufType) in precisions)
            {
                progress?.WriteLine($"myna {name}" + (vocabulary is null ? "…" : $" and llama.cpp {GgufName(ggufType)}, alternating…"));
                var engines = new List<Engine> { MynaEngine(weights, precision, name, prompt, options) };
                string path = Path.Combine(directory, $"model-{name}.gguf");
                if (vocabulary is not null)
                {
                    Gpt2GgufExport.Write(path, weights, vocabulary, ggufType, "bench");
                    engines.Add(LlamaEngine(path, GgufName(ggufType), prompt, options));
                }
                try
                {
                    foreach (GenerateResult result in MeasureAlternating(engines, prompt.Length, options))
                    {
                        results.Add(result);
                        progress?.WriteLine(Describe(result));
                    }
                }
                finally
                {
                    foreach (Engine engine in engines) engine.Dispose();
                    File.Delete(path);
                }
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }

        return new GenerateReport(SimdTiers.Name(SimdTiers.Current), options.SkipLlama ? null : LlamaNative.LoadedBuild(),
            options.SkipLlama ? null : LlamaNative.SystemInfo(), PoolParkedBeforePeer: !options.SkipLlama, results);
    }

    private static void Validate(GenerateOptions options, GptConfig config)
    {
        if (options.PromptTokens < 1 || options.NewTokens < 1 || options.Batch < 1 || options.Repeats < 1 || options.Threads < 1)
            throw new ArgumentException("prompt tokens, new tokens, batch, repeats and threads must all be at least 1.");
        foreach (string dtype in options.Dtypes) ParseDtype(dtype); // before minutes of building weights
        if (options.PromptTokens + options.NewTokens > config.ContextLength)
            throw new ArgumentException($"prompt + new tokens ({options.PromptTokens + options.NewTokens}) exceed the context length {config.ContextLength}.");
        if (!options.SkipLlama) LlamaNative.RequireInstalled();
    }

    /// <summary>A <c>--dtype</c> name (f32, f16, int8 or q8_0): its report name, Myna's precision and the matching GGUF type.</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    internal static (string Name, InferencePrecision Precision, GgufTensorType Gguf) ParseDtype(string name) => name.Trim().ToLowerInvariant() switch
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

    /// <summary>Weights of <paramref name="config"/>'s shape, initialised as for training from <paramref name="seed"/>.</summary>
    internal static GptWeights RandomWeights(GptConfig config, ulong seed)
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

    /// <summary>One engine at one precision, ready to time: a prefill, and a decode of N steps at a given width.</summary>
    private sealed class Engine(string name, string dtype, int threads, long weightBytes, Func<double> prefill, Func<int, double> decode, IDisposable? owner, Func<string> isa,
        Func<int, StepOverhead>? overhead = null, double? hugePageShare = null) : IDisposable
    {
        public string Name => name;
        public double? HugePageShare => hugePageShare;
        public StepOverhead? Overhead(int width) => overhead?.Invoke(width);
        public string Isa => isa();
        public string Dtype => dtype;
        public int Threads => threads;
        public long WeightBytes => weightBytes;
        public double Prefill() => prefill();
        public double Decode(int width) => decode(width);
        public void Dispose() => owner?.Dispose();
    }

    /// <summary>Warms every engine up, then times them in alternating rounds and keeps each figure's best round.</summary>
    private static IEnumerable<GenerateResult> MeasureAlternating(IReadOnlyList<Engine> engines, int promptTokens, GenerateOptions options)
    {
        int steps = options.NewTokens, batch = options.Batch;
        var prefill = new double[engines.Count];
        var decode = new double[engines.Count];
        var batched = new double[engines.Count];
        Array.Fill(prefill, double.MaxValue);
        Array.Fill(decode, double.MaxValue);
        Array.Fill(batched, double.MaxValue);
        for (int round = -1; round < options.Repeats; round++) // round -1: warm-up (JIT, caches), not counted
        {
            for (int e = 0; e < engines.Count; e++)
            {
                bool peer = engines[e].Name != "myna";
                // Each engine gets the cores to itself: Myna's workers are blocked (not polling) before llama.cpp is
                // timed, and llama.cpp's OpenMP workers get time to stop spinning before Myna is.
                if (peer && !ComputePool.Shared.Park(TimeSpan.FromSeconds(1)))
                    throw new InvalidOperationException("Myna's compute pool did not park within a second; the comparison would be unfair.");
                double p = engines[e].Prefill(), d = engines[e].Decode(1), b = engines[e].Decode(batch);
                if (peer) Thread.Sleep(PeerSettle);
                if (round < 0) continue;
                prefill[e] = Math.Min(prefill[e], p);
                decode[e] = Math.Min(decode[e], d);
                batched[e] = Math.Min(batched[e], b);
            }
        }
        for (int e = 0; e < engines.Count; e++)
        {
            Engine engine = engines[e];
            // After the timed rounds, so it never competes with them (the last round already let llama.cpp's workers
            // settle): the scheduler's sampling decode, for its per-step work outside the forward pass.
            StepOverhead? single = engine.Overhead(1), wide = engine.Overhead(batch);
            yield return new GenerateResult(engine.Name, engine.Dtype, engine.Threads, promptTokens / prefill[e], steps / decode[e],
                batch, (double)batch * steps / batched[e], promptTokens, steps, engine.WeightBytes, engine.Isa)
            {
                OverheadMillisecondsPerStep = single?.OverheadMilliseconds,
                ForwardMillisecondsPerStep = single?.ForwardMilliseconds,
                BatchOverheadMillisecondsPerStep = wide?.OverheadMilliseconds,
                BatchForwardMillisecondsPerStep = wide?.ForwardMilliseconds,
                HugePageShare = engine.HugePageShare,
            };
        }
    }

    private static Engine MynaEngine(GptWeights weights, InferencePrecision precision, string name, int[] prompt, GenerateOptions options)
    {
        int v = weights.Config.VocabSize, batch = options.Batch, steps = options.NewTokens;
        var converted = new InferenceWeights(weights, precision);
        var engine = new GptInference(converted, batch);
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

        // What a server or TextGenerator runs: the scheduler sampling (temperature 0.8, top-p 0.9, the common
        // setting) over the same converted weights, timed inside and outside its forward passes.
        // A short untimed run first: the first engine measured would otherwise pay for compiling the sampling code.
        StepOverhead Overhead(int width)
        {
            SchedulerStatistics Run(int tokens)
            {
                var scheduler = new GenerationScheduler(converted, options: new SchedulerOptions { Slots = width, PrefillChunk = prompt.Length });
                var sampling = new GenerationOptions { MaxNewTokens = tokens, StopAtEndOfText = false, DoSample = true, Temperature = 0.8f, TopP = 0.9f, Seed = 1 };
                scheduler.SubmitAll(Enumerable.Repeat(prompt, width).ToList(), sampling);
                scheduler.RunUntilIdle();
                return scheduler.Statistics;
            }
            Run(Math.Min(steps, 8));
            SchedulerStatistics statistics = Run(steps);
            return new StepOverhead(statistics.OverheadMillisecondsPerStep, statistics.ForwardMillisecondsPerStep);
        }

        return new Engine("myna", name, ComputePool.Shared.ThreadCount, engine.WeightBytes, Prefill, Decode, null, () => SimdTiers.Name(SimdTiers.Current), Overhead,
            Math.Round((double)converted.HugePageBytes / converted.Bytes, 3));
    }

    private static Engine LlamaEngine(string path, string dtype, int[] prompt, GenerateOptions options)
    {
        NativeLogConfig.llama_log_set((level, message) => { });
        int batch = options.Batch, steps = options.NewTokens;
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
        LLamaWeights model = LLamaWeights.LoadFromFile(parameters);
        LLamaContext context = model.CreateContext(parameters);
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

        return new Engine("llama.cpp", dtype, options.Threads, new FileInfo(path).Length, Prefill, Decode, new Owner(context, model), LlamaNative.LoadedBuild);
    }

    /// <summary>Disposes llama.cpp's context before its weights.</summary>
    private sealed class Owner(LLamaContext context, LLamaWeights model) : IDisposable
    {
        public void Dispose()
        {
            context.Dispose();
            model.Dispose();
        }
    }

    private static string Describe(GenerateResult r) => string.Format(CultureInfo.InvariantCulture,
        "  {0} {1}: prefill {2:F1} t/s, decode {3:F1} t/s, batch {4} {5:F1} t/s", r.Engine, r.Dtype, r.PrefillTokensPerSecond, r.DecodeTokensPerSecond, r.Batch, r.BatchDecodeTokensPerSecond);

    private static void Check(DecodeResult result)
    {
        if (result != DecodeResult.Ok) throw new InvalidOperationException($"llama.cpp decode failed: {result}.");
    }

    private static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>Writes one tier's figures as a table, with Myna's ratios to llama.cpp at the same dtype.</summary>
    public static void WriteTable(GenerateReport report, TextWriter output, GenerateOptions options)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(options);
        CultureInfo c = CultureInfo.InvariantCulture;
        output.WriteLine($"GPT-2 {options.Preset} random weights; prefill {options.PromptTokens} tokens, decode {options.NewTokens} tokens; best of {options.Repeats} alternating rounds");
        output.WriteLine($"Myna at {report.Isa}" + (report.LlamaBuild is null ? "" : $", llama.cpp's {report.LlamaBuild} build; Myna's workers are parked while llama.cpp is timed"));
        output.WriteLine($"{"engine",-10} {"isa",-8} {"dtype",-5} {"thr",3} {"prefill t/s",12} {"decode t/s",11} {"batch",5} {"batch t/s",10} {"MB",7}   ratios vs llama.cpp (prefill, decode, batch)");
        foreach (GenerateResult r in report.Results)
        {
            string ratios = "";
            if (r.Engine == "myna" && report.Peer(r) is { } peer)
                ratios = string.Format(c, "{0:F2}x  {1:F2}x  {2:F2}x", r.PrefillTokensPerSecond / peer.PrefillTokensPerSecond,
                    r.DecodeTokensPerSecond / peer.DecodeTokensPerSecond, r.BatchDecodeTokensPerSecond / peer.BatchDecodeTokensPerSecond);
            output.WriteLine(string.Format(c, "{0,-10} {1,-8} {2,-5} {3,3} {4,12:F1} {5,11:F1} {6,5} {7,10:F1} {8,7:F0}   {9}",
                r.Engine, r.Isa, r.Dtype, r.Threads, r.PrefillTokensPerSecond, r.DecodeTokensPerSecond, r.Batch, r.BatchDecodeTokensPerSecond, r.WeightBytes / 1e6, ratios));
        }
        foreach (GenerateResult r in report.Results.Where(r => r.OverheadMillisecondsPerStep is not null))
        {
            output.WriteLine(string.Format(c, "myna {0}: per step outside the forward pass (scheduler sampling at t=0.8, top-p 0.9): {1:F3} ms = {2:P1} of the {3:F2} ms forward at batch 1, {4:F3} ms = {5:P1} of {6:F2} ms at batch {7}",
                r.Dtype, r.OverheadMillisecondsPerStep, r.OverheadMillisecondsPerStep / r.ForwardMillisecondsPerStep, r.ForwardMillisecondsPerStep,
                r.BatchOverheadMillisecondsPerStep, r.BatchOverheadMillisecondsPerStep / r.BatchForwardMillisecondsPerStep, r.BatchForwardMillisecondsPerStep, r.Batch));
        }
        foreach (GenerateResult r in report.Results.Where(r => r.HugePageShare is not null))
            output.WriteLine(string.Format(c, "myna {0}: {1:P0} of the weights on huge pages (MYNA_HUGE_PAGES=0 turns them off)", r.Dtype, r.HugePageShare));
    }

    /// <summary>Mean milliseconds per scheduler step outside and inside the forward pass.</summary>
    private sealed record StepOverhead(double OverheadMilliseconds, double ForwardMilliseconds);
}
