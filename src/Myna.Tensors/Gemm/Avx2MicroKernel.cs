using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Myna.Tensors;

/// <summary>
/// 6×16 FMA micro-kernel on Vector256: 12 accumulators + 2 B vectors + 1 broadcast fit the 16 ymm registers.
/// Per k step: 2 loads, 6 broadcasts, 12 FMAs — enough independent FMAs to hide the 4-cycle latency on 2 pipes.
/// </summary>
internal readonly struct Avx2MicroKernel : IGemmMicroKernel
{
    public static int Mr => 6;

    public static int Nr => 16;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, float* bias, bool loadC)
    {
        // Fetch the C tile now so that its lines have arrived by the time the sums are added to it, kc steps later;
        // without this, each tile waited on six misses to L2 or L3 (C rows are N floats apart): 5-20 % on the GPT-2
        // shapes, most on the 50257-wide LM head. A 64-byte row may straddle two lines, hence its last float too.
        PrefetchRow(c);
        PrefetchRow(c + ldc);
        PrefetchRow(c + 2 * ldc);
        PrefetchRow(c + 3 * ldc);
        PrefetchRow(c + 4 * ldc);
        PrefetchRow(c + 5 * ldc);
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector256<float> b0 = Avx.LoadAlignedVector256(b);
            Vector256<float> b1 = Avx.LoadAlignedVector256(b + 8);
            Vector256<float> av = Vector256.Create(a[0]);
            c00 = Fma.MultiplyAdd(av, b0, c00);
            c01 = Fma.MultiplyAdd(av, b1, c01);
            av = Vector256.Create(a[1]);
            c10 = Fma.MultiplyAdd(av, b0, c10);
            c11 = Fma.MultiplyAdd(av, b1, c11);
            av = Vector256.Create(a[2]);
            c20 = Fma.MultiplyAdd(av, b0, c20);
            c21 = Fma.MultiplyAdd(av, b1, c21);
            av = Vector256.Create(a[3]);
            c30 = Fma.MultiplyAdd(av, b0, c30);
            c31 = Fma.MultiplyAdd(av, b1, c31);
            av = Vector256.Create(a[4]);
            c40 = Fma.MultiplyAdd(av, b0, c40);
            c41 = Fma.MultiplyAdd(av, b1, c41);
            av = Vector256.Create(a[5]);
            c50 = Fma.MultiplyAdd(av, b0, c50);
            c51 = Fma.MultiplyAdd(av, b1, c51);
            a += 6;
            b += 16;
        }

        if (bias != null)
        {
            Vector256<float> bias0 = Avx.LoadVector256(bias);
            Vector256<float> bias1 = Avx.LoadVector256(bias + 8);
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
    private static unsafe void Store(float* c, Vector256<float> r0, Vector256<float> r1, bool loadC)
    {
        if (loadC)
        {
            r0 = Avx.LoadVector256(c) + r0;
            r1 = Avx.LoadVector256(c + 8) + r1;
        }
        Avx.Store(c, r0);
        Avx.Store(c + 8, r1);
    }

    /// <summary>Prefetches one 16-float row of the C tile: its first and last float, which may lie in two lines.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void PrefetchRow(float* row)
    {
        Sse.Prefetch0(row);
        Sse.Prefetch0(row + 15);
    }
}
