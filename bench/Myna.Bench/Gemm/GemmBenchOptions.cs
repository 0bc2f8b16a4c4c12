using Myna.Tensors;

namespace Myna.Bench.Gemm;

/// <summary>What <see cref="GemmBenchmark"/> measures and how often.</summary>
public sealed record GemmBenchOptions
{
    /// <summary>Products to measure; the GPT-2 training shapes by default.</summary>
    public IReadOnlyList<GemmShape> Shapes { get; init; } = GemmShape.Gpt2;

    /// <summary>Every layout training uses: NN (HF Conv1D weights [in, out]), NT (weights [out, in]; dX of NN), TN (dW).</summary>
    public IReadOnlyList<GemmLayout> Layouts { get; init; } = [GemmLayout.NN, GemmLayout.NT, GemmLayout.TN];

    /// <summary>Thread counts; one thread and all cores by default.</summary>
    public IReadOnlyList<int> ThreadCounts { get; init; } = Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    /// <summary>Timed runs per implementation and case (after <see cref="Warmup"/>); best and median are reported.</summary>
    public int Repeat { get; init; } = 7;

    /// <summary>Untimed runs first: JIT tiering, page faults, OpenBLAS thread start.</summary>
    public int Warmup { get; init; } = 2;

    /// <summary>Measure OpenBLAS when it can be loaded.</summary>
    public bool IncludeOpenBlas { get; init; } = true;

    /// <summary>Fixed seed of the operand values.</summary>
    public int Seed { get; init; } = 20_240_601;
}
