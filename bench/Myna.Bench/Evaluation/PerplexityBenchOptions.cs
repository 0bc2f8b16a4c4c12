namespace Myna.Bench.Evaluation;

/// <summary>What <see cref="PerplexityBenchmark"/> measures; the defaults are those of <c>myna eval ppl</c>.</summary>
public sealed record PerplexityBenchOptions
{
    /// <summary>Window length (null: the model's context), as <c>myna eval ppl --window</c>.</summary>
    public int? Window { get; init; }

    /// <summary>Tokens the window advances by (null: half the window), as <c>myna eval ppl --stride</c>.</summary>
    public int? Stride { get; init; }

    /// <summary>
    /// Sequences per training forward pass: the trainer's default batch (8), so the reference is the forward
    /// <c>myna train</c> runs at its default shape.
    /// </summary>
    public int TrainingBatch { get; init; } = 8;

    /// <summary>Timed rounds; each runs every method once, in turn, so a busy machine slows all of them alike.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Also time the inference engine's path (what <c>eval ppl</c> ran before the batched forward, and still runs at f16 and int8).</summary>
    public bool IncludeEngine { get; init; } = true;
}
