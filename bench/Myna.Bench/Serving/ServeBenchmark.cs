using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Myna.Bench.Generation;
using Myna.Generation;
using Myna.Models;
using Myna.Models.Inference;
using Myna.Server;
using Myna.Tensors;
using Myna.Text.Tokenization;

namespace Myna.Bench.Serving;

/// <summary>
/// <c>myna bench serve</c>: the OpenAI-compatible server (Myna.Server on a loopback port, in this process) under load
/// from our own client, beside the bare engine and llama.cpp on the same weights, in one run.
/// </summary>
/// <remarks>
/// Per model, in this order, so nothing overlaps: (1) the bare engine and llama.cpp, alternating (<c>bench
/// generate</c>'s measurement, which parks Myna's compute pool before each llama.cpp round), then the load's own
/// requests through the scheduler alone; (2) load runs at each concurrency, batching on; (3) the same load with one
/// slot; (4) a long prompt joining running streams, then the bare engine once more, to show whether the machine held
/// its speed; (5) many clients against a short queue; (6) optionally the endurance run. Each step gets a fresh server over the same
/// converted weights, warmed up (JIT, connections) before it is timed, and stopped before the next.
/// </remarks>
public static class ServeBenchmark
{
    /// <summary>Tokens per warm-up request: enough to run every path once.</summary>
    private const int WarmUpTokens = 4;

    /// <summary>The least time each server is warmed up for before it is measured.</summary>
    private const double WarmUpSeconds = 1.0;

    /// <summary>Runs the benchmark and writes JSON (when <paramref name="json"/>) or tables with ratios.</summary>
    /// <exception cref="ArgumentException">An option is out of range or a dtype is unknown.</exception>
    public static async Task<ServeReport> RunAsync(ServeOptions options, TextWriter output, bool json, TextWriter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ServeReport report = await MeasureAsync(options, progress).ConfigureAwait(false);
        if (json) output.WriteLine(JsonSerializer.Serialize(report));
        else ServeTable.Write(report, output);
        return report;
    }

    /// <summary>Measures every model of <paramref name="options"/> and returns the figures.</summary>
    /// <exception cref="ArgumentException">An option is out of range or a dtype is unknown.</exception>
    public static async Task<ServeReport> MeasureAsync(ServeOptions options, TextWriter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var dtypes = options.Dtypes.Select(ParseDtype).Distinct().ToList();
        // Refused before any model is built or served: the random GPT-2 targets are measured beside llama.cpp.
        if (!options.SkipLlama && dtypes.Any(d => d != "f32" || options.DefaultModelDirectory is null)) LlamaNative.RequireInstalled();
        string enduranceDtype = dtypes.Contains("f16") ? "f16" : dtypes[0];
        GptWeights? gpt2 = null; // built once, shared by f16 and int8 (and f32 without a default model)
        GptWeights RandomGpt2()
        {
            if (gpt2 is null)
            {
                progress?.WriteLine("building random gpt2 (124M) weights…");
                gpt2 = GenerateBenchmark.RandomWeights(GptConfig.FromPreset("gpt2"), options.Seed);
            }
            return gpt2;
        }

        var models = new List<ModelServeReport>();
        string? llamaBuild = null;
        foreach (string dtype in dtypes)
        {
            ServeTarget target = dtype == "f32" && options.DefaultModelDirectory is { } directory
                ? ServeTarget.FromDirectory(directory)
                : ServeTarget.RandomGpt2(RandomGpt2(), dtype);
            TimeSpan endurance = dtype == enduranceDtype ? options.Endurance : TimeSpan.Zero;
            (ModelServeReport model, string? build) = await MeasureModelAsync(target, options, endurance, progress).ConfigureAwait(false);
            models.Add(model);
            llamaBuild ??= build;
        }
        return new ServeReport
        {
            Isa = SimdTiers.Name(SimdTiers.Current),
            Threads = ComputePool.Shared.ThreadCount,
            LlamaBuild = llamaBuild,
            PoolParkedBeforePeer = llamaBuild is not null,
            PromptTokens = options.PromptTokens,
            NewTokens = options.NewTokens,
            Models = models,
        };
    }

    /// <summary>The <c>--dtype</c> names: f32, f16, int8 (q8_0 is int8), as <c>bench generate</c> reads them.</summary>
    /// <exception cref="ArgumentException">Another name.</exception>
    public static string ParseDtype(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return GenerateBenchmark.ParseDtype(name).Name;
    }

    private static async Task<(ModelServeReport Report, string? LlamaBuild)> MeasureModelAsync(ServeTarget target, ServeOptions options, TimeSpan endurance, TextWriter? progress)
    {
        GptConfig config = target.Weights.Config;
        if (options.PromptTokens + options.NewTokens > config.ContextLength)
            throw new ArgumentException($"prompt + new tokens ({options.PromptTokens + options.NewTokens}) exceed {target.Id}'s context length {config.ContextLength}.");

        // 1. The bare engine and llama.cpp, before any server exists: nothing else runs on the cores.
        progress?.WriteLine($"{target.Id}: bare engine" + (target.Gpt2Vocabulary && !options.SkipLlama ? " and llama.cpp…" : "…"));
        var engineOptions = new GenerateOptions
        {
            Dtypes = [target.Dtype],
            PromptTokens = options.PromptTokens,
            NewTokens = options.NewTokens,
            Batch = options.EngineBatch,
            Repeats = options.EngineRepeats,
            Threads = ComputePool.Shared.ThreadCount,
            SkipLlama = options.SkipLlama || !target.Gpt2Vocabulary,
            Seed = options.Seed,
        };
        GenerateReport engines = GenerateBenchmark.Measure(target.Weights, engineOptions, progress);
        GenerateResult engine = engines.Results.First(r => r.Engine == "myna");
        GenerateResult? llama = engines.Results.FirstOrDefault(r => r.Engine == "llama.cpp");

        var model = new GptLanguageModel(target.Weights, target.Tokenizer, target.EndOfTextId, target.Precision);
        var defaults = new ServerOptions();
        int parallel = options.Parallel ?? defaults.Parallel, prefillChunk = options.PrefillChunk ?? defaults.PrefillChunk;
        var loadServer = new ServerOptions { Port = 0, Parallel = parallel, PrefillChunk = prefillChunk };
        int promptIdLimit = Math.Min(model.EndOfTextId ?? config.VocabSize, config.VocabSize);
        var basePlan = new LoadPlan(target.Id, 1, 1, options.Duration, options.Grace, options.PromptTokens, options.NewTokens, promptIdLimit, options.Seed);
        LoadPlan Plan(int concurrency, int requests, TimeSpan duration) => basePlan with { Concurrency = concurrency, Requests = requests, Duration = duration };
        int RequestsAt(int concurrency) => Math.Max(options.Requests, ServeOptions.MinimumRoundsPerRun * concurrency);

        // 1b. The same requests through the server's scheduler alone (no HTTP), at the concurrencies the ratios use.
        var baselines = new List<SchedulerBaselineRun>();
        foreach (int concurrency in options.Concurrency.Where(c => c is 1 or 8 && c <= parallel))
        {
            SchedulerBaselineRun run = SchedulerBaseline.Measure(model, loadServer.ToSchedulerOptions(), concurrency, RequestsAt(concurrency),
                options.PromptTokens, options.NewTokens, promptIdLimit, options.Seed);
            progress?.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0} scheduler alone, concurrency {1}: {2:F1} tok/s", target.Id, concurrency, run.OutputTokensPerSecond));
            baselines.Add(run);
        }

        // 2. Load at each concurrency, batching on.
        var runs = await WithServerAsync(model, loadServer, basePlan, options.Concurrency.Max(), async http =>
        {
            var summaries = new List<LoadRunSummary>();
            foreach (int concurrency in options.Concurrency)
            {
                LoadRunSummary run = await RunAsync(http, Plan(concurrency, RequestsAt(concurrency), options.Duration), loadServer).ConfigureAwait(false);
                progress?.WriteLine($"  {target.Id} concurrency {concurrency}: {Describe(run)}");
                summaries.Add(run);
            }
            return summaries;
        }).ConfigureAwait(false);

        // 3. The same load with one slot: every request waits for the one before.
        var offServer = loadServer with { Parallel = 1 };
        LoadRunSummary batchingOff = await WithServerAsync(model, offServer, basePlan, options.BatchingOffConcurrency,
            http => RunAsync(http, Plan(options.BatchingOffConcurrency, RequestsAt(options.BatchingOffConcurrency), options.Duration), offServer)).ConfigureAwait(false);
        progress?.WriteLine($"  {target.Id} batching off (--parallel 1), concurrency {options.BatchingOffConcurrency}: {Describe(batchingOff)}");

        // 4. A long prompt joins running streams; the server has a slot for each stream and for the prompt.
        InterferenceResult? interference = null;
        if (options.InterferencePromptTokens + PrefillInterference.JoiningNewTokens <= config.ContextLength
            && options.PromptTokens + options.InterferenceStreamTokens <= config.ContextLength)
        {
            var joinServer = loadServer with { Parallel = options.InterferenceStreams + 1 };
            interference = await WithServerAsync(model, joinServer, basePlan, options.InterferenceStreams,
                http => PrefillInterference.MeasureAsync(http, target.Id, promptIdLimit, prefillChunk, options)).ConfigureAwait(false);
            progress?.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0} prefill interference: itl p50 {1:F1} ms, p99 {2:F1} ms, p99/p50 {3:F2}, {4} errors",
                target.Id, interference.InterTokenP50, interference.InterTokenP99, interference.Ratio, interference.Errors));
        }
        else
        {
            progress?.WriteLine($"  {target.Id}: no prefill-interference run (a {options.InterferencePromptTokens}-token prompt does not fit n_ctx {config.ContextLength})");
        }

        // 4b. The bare engine again, one round, now that the load runs are over: if this machine's speed moved during
        // the run (a shared VM's often does), the ratios above compare figures taken at different speeds, and the
        // report says so.
        GenerateResult engineAfter = GenerateBenchmark.Measure(target.Weights, engineOptions with { Repeats = 1, SkipLlama = true }, progress)
            .Results.First(r => r.Engine == "myna");

        // 5. Many clients, a short queue: only 200 and 429 may come back.
        var overloadServer = loadServer with { MaxQueue = options.OverloadMaxQueue };
        LoadRunSummary overloadRun = await WithServerAsync(model, overloadServer, basePlan, parallel,
            http => RunAsync(http, Plan(options.OverloadConcurrency, options.OverloadRequests, options.Duration), overloadServer)).ConfigureAwait(false);
        var overload = OverloadResult.Of(overloadRun);
        progress?.WriteLine($"  {target.Id} overload, concurrency {options.OverloadConcurrency}, --max-queue {options.OverloadMaxQueue}: " +
            $"{ServeTable.Statuses(overloadRun.Statuses)}, only 200 and 429: {(overload.OnlyOkAndTooManyRequests ? "yes" : "NO")}");

        // 6. Endurance: as many requests as the time allows.
        EnduranceResult? enduranceResult = null;
        if (endurance > TimeSpan.Zero)
        {
            progress?.WriteLine($"  {target.Id} endurance: {endurance.TotalSeconds:F0} s at concurrency {options.EnduranceConcurrency}…");
            LoadRunSummary run = await WithServerAsync(model, loadServer, basePlan, options.EnduranceConcurrency,
                http => RunAsync(http, Plan(options.EnduranceConcurrency, int.MaxValue, endurance), loadServer)).ConfigureAwait(false);
            enduranceResult = new EnduranceResult(endurance.TotalSeconds, run);
            progress?.WriteLine($"  {target.Id} endurance: {Describe(run)}");
        }

        double? TokensPerSecond(int concurrency) => runs.FirstOrDefault(r => r.Concurrency == concurrency)?.OutputTokensPerSecond;
        var ratios = new ServeRatios(TokensPerSecond(1), TokensPerSecond(options.BatchingOffConcurrency), batchingOff.OutputTokensPerSecond,
            engine.DecodeTokensPerSecond, engine.BatchDecodeTokensPerSecond, llama?.BatchDecodeTokensPerSecond,
            interference?.InterTokenP50, interference?.InterTokenP99);
        var report = new ModelServeReport
        {
            Model = target.Id,
            Dtype = target.Dtype,
            Source = target.Source,
            Shape = string.Create(CultureInfo.InvariantCulture, $"{config.LayerCount}×{config.EmbeddingSize}, n_ctx {config.ContextLength}"),
            Engine = engine,
            EngineAfter = engineAfter,
            SchedulerBaseline = baselines,
            Llama = llama,
            Runs = runs,
            BatchingOff = batchingOff,
            Interference = interference,
            Overload = overload,
            Endurance = enduranceResult,
            Ratios = ratios.Compute(),
        };
        return (report, engines.LlamaBuild);
    }

    private static async Task<LoadRunSummary> RunAsync(HttpClient http, LoadPlan plan, ServerOptions server)
    {
        IReadOnlyList<CompletionTiming> timings = await LoadGenerator.RunAsync(http, plan).ConfigureAwait(false);
        return LoadRunSummary.Of(timings, plan.NewTokens, plan.Concurrency, server.Parallel, server.MaxQueue);
    }

    /// <summary>
    /// Starts a server over <paramref name="model"/> (as <paramref name="plan"/>'s model id) on a free loopback port,
    /// warms it up with rounds of <paramref name="warmUpClients"/> short requests at once for a second (the JIT, the connections), runs
    /// <paramref name="body"/> against it, and stops it.
    /// </summary>
    private static async Task<T> WithServerAsync<T>(GptLanguageModel model, ServerOptions server, LoadPlan plan, int warmUpClients, Func<HttpClient, Task<T>> body)
    {
        WebApplication app = MynaServer.Build(model, plan.Model, server);
        await using (app.ConfigureAwait(false))
        {
            await app.StartAsync().ConfigureAwait(false);
            try
            {
                using HttpClient http = CompletionClient.CreateHttpClient(MynaServer.ListeningAddress(app));
                int clients = Math.Min(warmUpClients, server.Parallel + server.MaxQueue);
                // Short rounds for a second at least, as the scheduler-alone baseline warms up: one round compiles
                // every path, but the tiered JIT recompiles the scheduler's and the server's code only after it has
                // run a while, and a run measured before that pays for it.
                long warmUntil = Stopwatch.GetTimestamp() + (long)(WarmUpSeconds * Stopwatch.Frequency);
                do
                {
                    await LoadGenerator.RunAsync(http, plan with { Concurrency = clients, Requests = clients, NewTokens = WarmUpTokens }).ConfigureAwait(false);
                }
                while (Stopwatch.GetTimestamp() < warmUntil);
                return await body(http).ConfigureAwait(false);
            }
            finally
            {
                await app.StopAsync().ConfigureAwait(false);
            }
        }
    }

    private static string Describe(LoadRunSummary r) => string.Format(CultureInfo.InvariantCulture,
        "{0:F1} tok/s, {1:F2} req/s, ttft p50 {2:F0} ms, itl p50 {3:F1} ms, {4}/{5} completed, {6} errors",
        r.OutputTokensPerSecond, r.RequestsPerSecond, r.TimeToFirstToken?.P50, r.InterToken?.P50, r.Completed, r.Requests, r.Errors);

    /// <summary>A model to serve: its weights and tokenizer, the precision, and where it came from.</summary>
    private sealed record ServeTarget(string Id, string Dtype, InferencePrecision Precision, GptWeights Weights, GptTokenizer Tokenizer, int? EndOfTextId,
        string Source, bool Gpt2Vocabulary)
    {
        public static ServeTarget FromDirectory(string directory)
        {
            GptLanguageModel loaded = GptLanguageModel.FromPretrained(directory, InferencePrecision.F32);
            GptTokenizer tokenizer = loaded.Tokenizer ?? throw new ArgumentException($"{directory} has no tokenizer; the server needs one.");
            string id = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
            return new ServeTarget(id, "f32", InferencePrecision.F32, loaded.Weights, tokenizer, loaded.EndOfTextId, directory, Gpt2Vocabulary: false);
        }

        public static ServeTarget RandomGpt2(GptWeights weights, string dtype)
        {
            GptTokenizer tokenizer = GptTokenizer.Gpt2();
            InferencePrecision precision = GenerateBenchmark.ParseDtype(dtype).Precision;
            return new ServeTarget($"gpt2-random-{dtype}", dtype, precision, weights, tokenizer, tokenizer.EndOfTextId, "random gpt2", Gpt2Vocabulary: true);
        }
    }
}
