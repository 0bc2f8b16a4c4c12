namespace Myna.Generation;

/// <summary>How a <see cref="GenerationScheduler"/> shares its engine. Every default lives here, once.</summary>
public sealed record SchedulerOptions
{
    /// <summary>Cache slots: sequences decoded at once (a server's <c>--parallel</c>). Default 8: batch-8 decode costs little more per step than batch 1.</summary>
    public int Slots { get; init; } = 8;

    /// <summary>
    /// The most slots the scheduler may grow to when the waiting requests need more and no slot is in use (the cache
    /// is rebuilt, the weights are not). Null: never grow (a server's fixed <c>--parallel</c>).
    /// </summary>
    public int? MaxSlots { get; init; }

    /// <summary>
    /// Prompt tokens fed per step at most, across all prompts (a server's <c>--prefill-chunk</c>). Default 64: long
    /// prompts are split so the sequences already decoding keep a steady pace.
    /// </summary>
    public int PrefillChunk { get; init; } = 64;

    /// <summary>
    /// Prompt tokens fed per step at most while other sequences are decoding (a server's <c>--prefill-chunk-decoding</c>).
    /// Default 8: a step's cost grows with its rows, so a 64-token chunk beside 8 decoding rows makes that step about
    /// five times a plain decode step, a stall every running stream feels. Measured on a 2-core Zen 5 (GPT-2 124M f16,
    /// a 256-token prompt joining 8 streams, five rounds each): with 16, the streams' p99 inter-token latency was
    /// 3.0-6.3× their median (36-101 ms); with 8, 1.3-3.0× (28-65 ms), at the cost of a slower first token for the
    /// joining prompt. With nothing decoding, <see cref="PrefillChunk"/> applies.
    /// </summary>
    public int PrefillChunkWhileDecoding { get; init; } = 8;

    /// <summary>Requests that may wait for a slot; <see cref="GenerationScheduler.Submit"/> refuses more. Null: no limit.</summary>
    public int? MaxQueue { get; init; }

    /// <summary>
    /// Chunks a streaming request buffers. When a reader falls this far behind, its sequences skip steps (keeping
    /// their slots) until it catches up, so one slow client never stalls the others. Default 64.
    /// </summary>
    public int ChunkBuffer { get; init; } = 64;

    /// <summary>Checks every option.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        if (Slots < 1) throw new ArgumentException($"Slots must be 1 or more; it is {Slots}.");
        if (MaxSlots is { } max && max < Slots) throw new ArgumentException($"MaxSlots ({max}) may not be below Slots ({Slots}).");
        if (PrefillChunk < 1) throw new ArgumentException($"PrefillChunk must be 1 or more; it is {PrefillChunk}.");
        if (PrefillChunkWhileDecoding < 1) throw new ArgumentException($"PrefillChunkWhileDecoding must be 1 or more; it is {PrefillChunkWhileDecoding}.");
        if (MaxQueue is < 0) throw new ArgumentException($"MaxQueue must be 0 or more; it is {MaxQueue}.");
        if (ChunkBuffer < 1) throw new ArgumentException($"ChunkBuffer must be 1 or more; it is {ChunkBuffer}.");
    }
}
