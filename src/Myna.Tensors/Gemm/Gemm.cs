using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Myna.Tensors;

/// <summary>
/// Single-precision matrix multiply <c>C (M, N) = op(A) · op(B) [+ bias] [+ C]</c> over row-major spans.
/// Large products run a packed, cache-blocked, register-blocked kernel (Vector512 with AVX-512, Vector256 with
/// AVX2+FMA, <see cref="System.Numerics.Vector{T}"/> elsewhere) on a <see cref="ComputePool"/>; tiny and thin ones
/// run a direct loop. Results are bit-identical for the same inputs and thread count. Hot methods are marked
/// AggressiveOptimization: fully optimised from the first call, since tier-0 packing code runs several times slower.
/// </summary>
public static class Gemm
{
    /// <summary>The micro-kernel chosen for this machine, decided once.</summary>
    internal static readonly SimdTier Kernel = ChooseKernel();

    /// <summary>The micro-kernel this process uses, e.g. "avx512 6x32", for benchmark reports.</summary>
    public static string KernelDescription => Kernel switch
    {
        SimdTier.Avx512 => $"avx512 {Avx512MicroKernel.Mr}x{Avx512MicroKernel.Nr}",
        SimdTier.Avx2 => $"avx2+fma {Avx2MicroKernel.Mr}x{Avx2MicroKernel.Nr}",
        _ => $"portable {PortableMicroKernel.Mr}x{PortableMicroKernel.Nr}",
    };

    /// <summary>
    /// Computes <c>C = op(A) · op(B)</c> on <see cref="ComputePool.Shared"/>, adding the previous contents of C when
    /// <paramref name="accumulate"/> is set, and adding <paramref name="bias"/> (length N) to every row when it is not empty.
    /// </summary>
    /// <remarks>C must not overlap A, B or bias. Runs on up to <see cref="ComputePool.ThreadCount"/> threads; the
    /// result is bit-identical for the same inputs whatever the thread count.</remarks>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires, or a dimension is negative.</exception>
    public static void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int m, int n, int k, GemmLayout layout = GemmLayout.NN,
        bool accumulate = false, ReadOnlySpan<float> bias = default) =>
        Multiply(a, b, c, m, n, k, layout, accumulate, bias, ComputePool.Shared);

    /// <summary>
    /// As <see cref="Multiply(ReadOnlySpan{float}, ReadOnlySpan{float}, Span{float}, int, int, int, GemmLayout, bool, ReadOnlySpan{float})"/>,
    /// on the threads of <paramref name="pool"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires, or a dimension is negative.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="pool"/> is null.</exception>
    public static void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int m, int n, int k, GemmLayout layout, bool accumulate, ReadOnlySpan<float> bias, ComputePool pool) =>
        Multiply(a, b, c, m, n, k, layout, accumulate, bias, pool, Kernel, allowDirect: true);

    /// <summary>The full form, for tests: a given micro-kernel, and optionally the packed path even where the
    /// direct loop would be chosen.</summary>
    internal static unsafe void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int m, int n, int k, GemmLayout layout, bool accumulate, ReadOnlySpan<float> bias, ComputePool pool,
        SimdTier kernel, bool allowDirect)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentNullException.ThrowIfNull(pool);
        if (a.Length < (long)m * k) throw new ArgumentException($"A holds {a.Length} values; ({m}, {k}) needs {(long)m * k}.", nameof(a));
        if (b.Length < (long)k * n) throw new ArgumentException($"B holds {b.Length} values; ({k}, {n}) needs {(long)k * n}.", nameof(b));
        if (c.Length < (long)m * n) throw new ArgumentException($"C holds {c.Length} values; ({m}, {n}) needs {(long)m * n}.", nameof(c));
        if (!bias.IsEmpty && bias.Length < n) throw new ArgumentException($"bias holds {bias.Length} values; N is {n}.", nameof(bias));
        if (layout is not (GemmLayout.NN or GemmLayout.NT or GemmLayout.TN))
            throw new ArgumentOutOfRangeException(nameof(layout), layout, "Layout must be NN, NT or TN.");
        if (m == 0 || n == 0) return;

        fixed (float* pa = a, pb = b, pc = c, pBias = bias)
        {
            float* biasOrNull = bias.IsEmpty ? null : pBias;
            if (k == 0)
            {
                FillWithoutProducts(pc, m, n, accumulate, biasOrNull);
                return;
            }
            if (allowDirect && ((long)m * n * k <= GemmBlocking.DirectMaxWork || m <= GemmBlocking.DirectMaxRows || n < 4))
            {
                DirectGemm.Multiply(pa, pb, pc, m, n, k, layout, accumulate, biasOrNull, pool);
                return;
            }
            switch (kernel)
            {
                case SimdTier.Avx512:
                    PackedGemm<Avx512MicroKernel>.Multiply(pa, pb, pc, m, n, k, layout, accumulate, biasOrNull, pool);
                    break;
                case SimdTier.Avx2:
                    PackedGemm<Avx2MicroKernel>.Multiply(pa, pb, pc, m, n, k, layout, accumulate, biasOrNull, pool);
                    break;
                default:
                    PackedGemm<PortableMicroKernel>.Multiply(pa, pb, pc, m, n, k, layout, accumulate, biasOrNull, pool);
                    break;
            }
        }
    }

    /// <summary>K = 0: the product is empty, so C becomes bias (plus C when accumulating).</summary>
    private static unsafe void FillWithoutProducts(float* c, int m, int n, bool accumulate, float* bias)
    {
        for (int i = 0; i < m; i++)
        {
            float* row = c + (nint)i * n;
            for (int j = 0; j < n; j++)
            {
                float r = bias != null ? bias[j] : 0f;
                row[j] = accumulate ? row[j] + r : r;
            }
        }
    }

    private static SimdTier ChooseKernel()
    {
        string? forced = Environment.GetEnvironmentVariable("MYNA_GEMM_KERNEL");
        if (Enum.TryParse(forced, ignoreCase: true, out SimdTier kind) && IsSupported(kind)) return kind;
        return SimdTiers.Current;
    }

    /// <summary>Whether this machine can run <paramref name="kind"/>.</summary>
    internal static bool IsSupported(SimdTier kind) => SimdTiers.IsSupported(kind);
}
