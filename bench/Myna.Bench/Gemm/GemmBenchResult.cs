using Myna.Tensors;

namespace Myna.Bench.Gemm;

/// <summary>Measured speed of one (shape, layout, thread count), ours and the peer's, in GFLOP/s.</summary>
public sealed record GemmBenchResult(
    int M, int N, int K, GemmLayout Layout, int Threads,
    double GflopsBest, double GflopsMedian, double? OpenBlasGflopsBest, double? OpenBlasGflopsMedian)
{
    /// <summary>Best over best: ours ÷ OpenBLAS; null without the peer.</summary>
    public double? RatioVsOpenBlas => OpenBlasGflopsBest is > 0 ? GflopsBest / OpenBlasGflopsBest : null;
}
