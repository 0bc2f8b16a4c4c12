using System.Numerics;
using System.Runtime.CompilerServices;

namespace Myna.Tensors;

/// <summary>
/// 4 × (2·Vector&lt;float&gt;.Count) micro-kernel on <see cref="Vector{T}"/>, for hardware without AVX2+FMA
/// (e.g. Arm64 with AdvSimd, or plain SSE). Multiply then add, not fused: fused is emulated (slowly) where absent.
/// </summary>
internal readonly struct PortableMicroKernel : IGemmMicroKernel
{
    public static int Mr => 4;

    public static int Nr => 2 * Vector<float>.Count;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(int kc, float* a, float* b, float* c, nint ldc, float* bias, bool loadC)
    {
        int w = Vector<float>.Count;
        Vector<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector<float> c20 = default, c21 = default, c30 = default, c31 = default;
        for (int p = 0; p < kc; p++)
        {
            Vector<float> b0 = Vector.Load(b);
            Vector<float> b1 = Vector.Load(b + w);
            Vector<float> av = new(a[0]);
            c00 += av * b0; c01 += av * b1;
            av = new Vector<float>(a[1]);
            c10 += av * b0; c11 += av * b1;
            av = new Vector<float>(a[2]);
            c20 += av * b0; c21 += av * b1;
            av = new Vector<float>(a[3]);
            c30 += av * b0; c31 += av * b1;
            a += 4;
            b += 2 * w;
        }

        if (bias != null)
        {
            Vector<float> bias0 = Vector.Load(bias);
            Vector<float> bias1 = Vector.Load(bias + w);
            c00 += bias0; c01 += bias1; c10 += bias0; c11 += bias1;
            c20 += bias0; c21 += bias1; c30 += bias0; c31 += bias1;
        }
        Store(c, w, c00, c01, loadC);
        Store(c + ldc, w, c10, c11, loadC);
        Store(c + 2 * ldc, w, c20, c21, loadC);
        Store(c + 3 * ldc, w, c30, c31, loadC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Store(float* c, int w, Vector<float> r0, Vector<float> r1, bool loadC)
    {
        if (loadC)
        {
            r0 = Vector.Load(c) + r0;
            r1 = Vector.Load(c + w) + r1;
        }
        Vector.Store(r0, c);
        Vector.Store(r1, c + w);
    }
}
