using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

/// <summary>
/// Random shapes, layouts and options against the double-precision reference. Tolerance: every element within
/// 1e-5 · (Σ|a·b| + |bias| + |C|) + 1e-30 of the exact value; float rounding over K ≤ 300 terms stays far below it
/// (each of the ≤ K+2 additions contributes at most 2⁻²⁴ ≈ 6e-8 of the running magnitude).
/// </summary>
public class GemmPropertyTests
{
    private const double RelativeTolerance = 1e-5;

    private static readonly ComputePool OneThread = new(1);
    private static readonly ComputePool TwoThreads = new(2);

    internal sealed record GemmCase(
        int M, int N, int K, GemmLayout Layout, bool Accumulate, bool Bias, int Threads, int Seed,
        SimdTier Kernel = SimdTier.Portable, bool AllowDirect = true);

    /// <summary>Every kernel this machine can run; the property covers them all, not just the one dispatch picks.</summary>
    private static readonly SimdTier[] Kernels =
        [.. Enum.GetValues<SimdTier>().Where(Gemm.IsSupported)];

    private static Gen<int> Dimension() =>
        // Mostly small (edges of the 6×16 and 6×32 tiles, the direct path), some up to 300 (several K slabs).
        Gen.OneOf(Gen.Choose(1, 20), Gen.Choose(1, 80), Gen.Choose(1, 300));

    private static Arbitrary<GemmCase> Cases() =>
        (from m in Dimension()
         from n in Dimension()
         from k in Dimension()
         from layout in Gen.Elements(GemmLayout.NN, GemmLayout.NT, GemmLayout.TN)
         from accumulate in Gen.Elements(false, true)
         from bias in Gen.Elements(false, true)
         from threads in Gen.Elements(1, 2)
         from seed in Gen.Choose(0, 1_000_000)
         from kernel in Gen.Elements(Kernels)
         from allowDirect in Gen.Elements(true, false)
         select new GemmCase(m, n, k, layout, accumulate, bias, threads, seed, kernel, allowDirect)).ToArbitrary();

    [Property(MaxTest = 300)]
    public Property MatchesDoublePrecisionReference() => Prop.ForAll(Cases(), CheckCase);

    [Theory]
    [InlineData(20, 2304, 200, GemmLayout.NT)]
    [InlineData(97, 1100, 9, GemmLayout.NN)]
    [InlineData(4100, 20, 8, GemmLayout.TN)]
    [InlineData(2030, 4, 2100, GemmLayout.NN)]
    [InlineData(1, 777, 300, GemmLayout.NN)]
    [InlineData(2, 300, 777, GemmLayout.NT)]
    [InlineData(40, 3, 65, GemmLayout.TN)]
    [InlineData(13, 50, 0, GemmLayout.NN)]
    public void MatchesReferenceAcrossBlockBoundaries(int m, int n, int k, GemmLayout layout)
    {
        CheckCase(new GemmCase(m, n, k, layout, Accumulate: true, Bias: true, Threads: 2, Seed: 7, Gemm.Kernel));
        CheckCase(new GemmCase(m, n, k, layout, Accumulate: false, Bias: false, Threads: 1, Seed: 8, Gemm.Kernel));
    }

    private static void CheckCase(GemmCase t)
    {
        float[] a = GemmReference.Random(t.M * t.K, t.Seed);
        float[] b = GemmReference.Random(t.K * t.N, t.Seed + 1);
        float[] c = GemmReference.Random(t.M * t.N, t.Seed + 2);
        float[]? bias = t.Bias ? GemmReference.Random(t.N, t.Seed + 3) : null;
        (double[] expected, double[] scale) = GemmReference.Multiply(a, b, c, t.M, t.N, t.K, t.Layout, t.Accumulate, bias);

        Gemm.Multiply(a, b, c, t.M, t.N, t.K, t.Layout, t.Accumulate, bias, t.Threads == 1 ? OneThread : TwoThreads,
            t.Kernel, t.AllowDirect);

        for (int e = 0; e < expected.Length; e++)
        {
            double error = Math.Abs(c[e] - expected[e]);
            if (!(error <= RelativeTolerance * scale[e] + 1e-30))
                Assert.Fail($"{t}: C[{e / t.N}, {e % t.N}] = {c[e]}, expected {expected[e]} (error {error}, scale {scale[e]}).");
        }
    }
}
