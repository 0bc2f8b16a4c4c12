namespace Myna.Bench.Train;

/// <summary>What <see cref="TrainStepBenchmark"/> measures; defaults are the reference point.</summary>
public sealed record TrainStepOptions
{
    /// <summary>Model preset (see <c>GptConfig.PresetNames</c>); GPT-2 small (124M) is the reference workload.</summary>
    public string Preset { get; init; } = "gpt2";

    /// <summary>Sequences per step, B; 4 × 64 tokens keeps activations small next to the 2 GB of weights and optimizer state.</summary>
    public int Batch { get; init; } = 4;

    /// <summary>Tokens per sequence, T.</summary>
    public int SequenceLength { get; init; } = 64;

    /// <summary>Timed steps; enough to average out the noise of a shared machine.</summary>
    public int Steps { get; init; } = 10;

    /// <summary>Untimed steps first, so the JIT (tiered PGO) and first-touch page faults are not measured.</summary>
    public int WarmupSteps { get; init; } = 2;

    /// <summary>Seed for the weights and the random tokens.</summary>
    public ulong Seed { get; init; } = 1337;
}
