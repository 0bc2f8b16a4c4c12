using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Myna.Tensors;

/// <summary>
/// 6×32 FMA micro-kernel on Vector512: the 6×16 Vector256 kernel with each register twice as wide
/// (12 zmm accumulators of the 32 available). On Zen 5, whose two FMA pipes are 512 bits wide, it runs about 1.75×
/// the Vector256 kernel (≈ 210–245 vs 115–125 GFLOP/s on one core); Zen 4 splits 512-bit FMAs in two, so there it
/// is on par. An 8×32 variant measured the same as 6×32 and was not kept.
/// </summary>
internal readonly struct Avx512MicroKernel : IGemmMicroKernel
{
    public static int Mr => 6;

    public static int Nr => 32;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, float* bias, bool loadC)
    {
        // Fetch the C tile now so that its lines have arrived by the time the sums are added to it, kc steps later
        // (as in the Vector256 kernel). A 128-byte row spans two lines, three when it is not 64-byte aligned.
        PrefetchRow(c);
        PrefetchRow(c + ldc);
        PrefetchRow(c + 2 * ldc);
        PrefetchRow(c + 3 * ldc);
        PrefetchRow(c + 4 * ldc);
        PrefetchRow(c + 5 * ldc);
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector512<float> b0 = Avx512F.LoadAlignedVector512(b);
            Vector512<float> b1 = Avx512F.LoadAlignedVector512(b + 16);
            Vector512<float> av = Vector512.Create(a[0]);
            c00 = Avx512F.FusedMultiplyAdd(av, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(av, b1, c01);
            av = Vector512.Create(a[1]);
            c10 = Avx512F.FusedMultiplyAdd(av, b0, c10);
            c11 = Avx512F.FusedMultiplyAdd(av, b1, c11);
            av = Vector512.Create(a[2]);
            c20 = Avx512F.FusedMultiplyAdd(av, b0, c20);
            c21 = Avx512F.FusedMultiplyAdd(av, b1, c21);
            av = Vector512.Create(a[3]);
            c30 = Avx512F.FusedMultiplyAdd(av, b0, c30);
            c31 = Avx512F.FusedMultiplyAdd(av, b1, c31);
            av = Vector512.Create(a[4]);
            c40 = Avx512F.FusedMultiplyAdd(av, b0, c40);
            c41 = Avx512F.FusedMultiplyAdd(av, b1, c41);
            av = Vector512.Create(a[5]);
            c50 = Avx512F.FusedMultiplyAdd(av, b0, c50);
            c51 = Avx512F.FusedMultiplyAdd(av, b1, c51);
            a += 6;
            b += 32;
        }

        if (bias != null)
        {
            Vector512<float> bias0 = Avx512F.LoadVector512(bias);
            Vector512<float> bias1 = Avx512F.LoadVector512(bias + 16);
            c00 += bias0; c01 += bias1; c10 += bias0; c11 += bias1; c20 += bias0; c21 += bias1;
            c30 += bias0; c31 += bias1; c40 += bias0; c41 += bias1; c50 += bias0; c51 += bias1;
        }
        Store(c, c00, c01, loadC);
        Store(c + ldc, c10, c11, loadC);
        Store(c + 2 * ldc, c20, c21, loadC);
        Store(c + 3 * ldc, c30, c31, loadC);
        Store(c + 4 * ldc, c40, c41, loadC);
        Store(c + 5 * ldc, c50, c51, loadC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* c, Vector512<float> r0, Vector512<float> r1, bool loadC)
    {
        if (loadC)
        {
            r0 = Avx512F.LoadVector512(c) + r0;
            r1 = Avx512F.LoadVector512(c + 16) + r1;
        }
        Avx512F.Store(c, r0);
        Avx512F.Store(c + 16, r1);
    }

    /// <summary>Prefetches one 32-float row of the C tile: every line it may touch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchRow(float* row)
    {
        Sse.Prefetch0(row);
        Sse.Prefetch0(row + 16);
        Sse.Prefetch0(row + 31);
    }
}
