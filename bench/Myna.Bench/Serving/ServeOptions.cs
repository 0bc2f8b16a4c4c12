namespace Myna.Bench.Serving;

/// <summary>
/// Options of <c>myna bench serve</c>; each default is the measurement point, sized so that a full run takes
/// minutes on a 2-core machine. <see cref="Quick"/> is the smoke-test variant.
/// </summary>
public sealed record ServeOptions
{
    /// <summary>
    /// Models to serve, by weight precision: f32 is the default model (random GPT-2 124M weights when it is not found),
    /// f16 and int8 are GPT-2 124M shapes with random weights (the targets are stated for f16).
    /// </summary>
    public IReadOnlyList<string> Dtypes { get; init; } = ["f32", "f16", "int8"];

    /// <summary>The default model's directory (null: serve random GPT-2 124M weights at f32 instead).</summary>
    public string? DefaultModelDirectory { get; init; }

    /// <summary>Concurrent clients of the load runs (the 1/2/4/8/16).</summary>
    public IReadOnlyList<int> Concurrency { get; init; } = [1, 2, 4, 8, 16];

    /// <summary>Requests per load run, and never fewer than <see cref="MinimumRoundsPerRun"/> per client. 32: 4 rounds of 8 clients.</summary>
    public int Requests { get; init; } = 32;

    /// <summary>Each client sends at least this many requests, so a run measures steady batches, not one ramp.</summary>
    public const int MinimumRoundsPerRun = 2;

    /// <summary>No run issues a request after this long (requests in flight finish). 30 s bounds the slow batching-off run.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Prompt length in tokens (the 32); every request gets its own random prompt, so no prefix is reused.</summary>
    public int PromptTokens { get; init; } = 32;

    /// <summary>Tokens each request generates, past end-of-text (the 64, with <c>ignore_eos</c>).</summary>
    public int NewTokens { get; init; } = 64;

    /// <summary>Server slots (<c>--parallel</c>) for the load runs; null: the server's default.</summary>
    public int? Parallel { get; init; }

    /// <summary>Server prompt tokens per step (<c>--prefill-chunk</c>); null: the server's default.</summary>
    public int? PrefillChunk { get; init; }

    /// <summary>Concurrency of the batching-off run (one slot), compared with the batched run at the same concurrency.</summary>
    public int BatchingOffConcurrency { get; init; } = 8;

    /// <summary>Streams already decoding when the long prompt joins (the 8).</summary>
    public int InterferenceStreams { get; init; } = 8;

    /// <summary>The joining prompt's length (the 256).</summary>
    public int InterferencePromptTokens { get; init; } = 256;

    /// <summary>Tokens each running stream generates: long enough that the join falls well inside them.</summary>
    public int InterferenceStreamTokens { get; init; } = 96;

    /// <summary>The long prompt is sent once every stream has received this many tokens (all are decoding steadily).</summary>
    public int InterferenceJoinAfterTokens { get; init; } = 16;

    /// <summary>Clients of the overload run (the 64).</summary>
    public int OverloadConcurrency { get; init; } = 64;

    /// <summary>The server queue in the overload run (the issue's <c>--max-queue 8</c>).</summary>
    public int OverloadMaxQueue { get; init; } = 8;

    /// <summary>Requests of the overload run: two per client, so refused clients come back while slots are busy.</summary>
    public int OverloadRequests { get; init; } = 128;

    /// <summary>Length of the endurance run at <see cref="EnduranceConcurrency"/>; zero skips it (the target is 2 minutes).</summary>
    public TimeSpan Endurance { get; init; } = TimeSpan.Zero;

    /// <summary>Clients of the endurance run (the 16).</summary>
    public int EnduranceConcurrency { get; init; } = 16;

    /// <summary>Alternating rounds of the bare engine and llama.cpp (<c>bench generate</c>'s; the best round counts).</summary>
    public int EngineRepeats { get; init; } = 3;

    /// <summary>Sequences of the bare engine's and llama.cpp's batched decode (the 8).</summary>
    public int EngineBatch { get; init; } = 8;

    /// <summary>Leave llama.cpp out.</summary>
    public bool SkipLlama { get; init; }

    /// <summary>How long a run waits for requests still in flight after <see cref="Duration"/> before it counts them lost.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Seed of the random weights (as <c>bench generate</c>'s) and prompts.</summary>
    public ulong Seed { get; init; } = 1234;

    /// <summary>A smoke test: every part of the benchmark runs, on few and short requests (seconds per model, figures meaningless).</summary>
    public static ServeOptions Quick { get; } = new()
    {
        Concurrency = [1, 8],
        Requests = 8,
        Duration = TimeSpan.FromSeconds(10),
        NewTokens = 16,
        InterferenceStreamTokens = 40,
        InterferenceJoinAfterTokens = 8,
        OverloadRequests = 64,
        EngineRepeats = 1,
        Grace = TimeSpan.FromSeconds(30),
    };

    /// <summary>Checks every option; the message names the command-line flag.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        if (Dtypes.Count == 0) throw new ArgumentException("--dtype names no precision.");
        if (Concurrency.Count == 0 || Concurrency.Any(c => c < 1)) throw new ArgumentException("--concurrency must list positive numbers.");
        if (Requests < 1) throw new ArgumentException($"--requests must be 1 or more; it is {Requests}.");
        if (Duration <= TimeSpan.Zero) throw new ArgumentException($"--duration must be positive; it is {Duration.TotalSeconds} s.");
        if (PromptTokens < 1 || NewTokens < 1) throw new ArgumentException("--prompt-tokens and --new-tokens must be 1 or more.");
        if (Parallel is < 1 || PrefillChunk is < 1) throw new ArgumentException("--parallel and --prefill-chunk must be 1 or more.");
        if (Endurance < TimeSpan.Zero) throw new ArgumentException("--endurance may not be negative.");
        if (EngineRepeats < 1) throw new ArgumentException("the engine needs at least one timed round.");
        if (InterferenceJoinAfterTokens >= InterferenceStreamTokens)
            throw new ArgumentException("the running streams must outlast the moment the long prompt joins them.");
    }
}
