using System.Numerics;
using System.Runtime.CompilerServices;

namespace Myna.Tensors;

/// <summary>
/// GEMM without packing, for shapes where packing does not pay: tiny products and thin ones (up to four rows of A,
/// as in decoding, or one to three columns). Columns are split across threads in fixed blocks;
/// each element sums over K in ascending order per vector lane, so results are deterministic.
/// </summary>
internal sealed unsafe class DirectGemm : IComputeTask
{
    /// <summary>Columns per block: 4 vectors of accumulators per row of C.</summary>
    private static readonly int Block = 4 * Vector<float>.Count;

    private static readonly Stack<DirectGemm> s_idle = new();

    private float* _a, _b, _c, _bias;
    private int _m, _n, _k, _threads;
    private GemmLayout _layout;
    private bool _accumulate;

    public static void Multiply(
        float* a, float* b, float* c, int m, int n, int k, GemmLayout layout, bool accumulate, float* bias,
        ComputePool pool)
    {
        long work = (long)m * n * k;
        int blocks = (n + Block - 1) / Block;
        int threads = (int)Math.Clamp(work / GemmBlocking.WorkPerThread, 1, Math.Min(pool.ThreadCount, blocks));
        if (threads == 1)
        {
            Columns(a, b, c, m, n, k, layout, accumulate, bias, 0, n);
            return;
        }

        DirectGemm? gemm;
        lock (s_idle) s_idle.TryPop(out gemm);
        gemm ??= new DirectGemm();
        try
        {
            gemm._a = a; gemm._b = b; gemm._c = c; gemm._bias = bias;
            gemm._m = m; gemm._n = n; gemm._k = k; gemm._layout = layout; gemm._accumulate = accumulate;
            gemm._threads = threads;
            pool.For(threads, gemm);
        }
        finally
        {
            gemm._a = gemm._b = gemm._c = gemm._bias = null;
            lock (s_idle) s_idle.Push(gemm);
        }
    }

    public void Run(int thread)
    {
        int blocks = (_n + Block - 1) / Block;
        int j0 = (int)((long)blocks * thread / _threads) * Block;
        int j1 = Math.Min((int)((long)blocks * (thread + 1) / _threads) * Block, _n);
        Columns(_a, _b, _c, _m, _n, _k, _layout, _accumulate, _bias, j0, j1);
    }

    /// <summary>Computes columns [j0, j1) of every row of C, four rows at a time (each B value loaded once per
    /// four rows), then the remaining rows one at a time.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Columns(
        float* a, float* b, float* c, int m, int n, int k, GemmLayout layout, bool accumulate, float* bias,
        int j0, int j1)
    {
        // op(A)(i, p) sits at a[i·rowStride + p·depthStride].
        nint rowStride = layout == GemmLayout.TN ? 1 : k;
        nint depthStride = layout == GemmLayout.TN ? m : 1;
        int i = 0;
        for (; i + 4 <= m; i += 4)
        {
            float* aI = a + i * rowStride;
            float* cI = c + (nint)i * n;
            if (layout == GemmLayout.NT) DotRows4(aI, k, b, cI, n, k, bias, accumulate, j0, j1);
            else AxpyRows4(aI, rowStride, depthStride, b, cI, n, k, bias, accumulate, j0, j1);
        }
        for (; i < m; i++)
        {
            float* aI = a + i * rowStride;
            float* cI = c + (nint)i * n;
            if (layout == GemmLayout.NT)
            {
                for (int j = j0; j < j1; j++) Finish(cI + j, Dot(aI, b + (nint)j * k, k), bias, j, accumulate);
            }
            else
            {
                AxpyRow(aI, depthStride, b, cI, n, k, bias, accumulate, j0, j1);
            }
        }
    }

    /// <summary>Four rows of C = op(A)·B for row-major B: 2 vectors of columns × 4 rows of accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpyRows4(
        float* a, nint rowStride, nint depthStride, float* b, float* c, int n, int k, float* bias, bool accumulate,
        int j0, int j1)
    {
        int w = Vector<float>.Count;
        int j = j0;
        for (; j + 2 * w <= j1; j += 2 * w)
        {
            Vector<float> s00 = default, s01 = default, s10 = default, s11 = default;
            Vector<float> s20 = default, s21 = default, s30 = default, s31 = default;
            float* bp = b + j;
            float* ap = a;
            for (int p = 0; p < k; p++, bp += n, ap += depthStride)
            {
                Vector<float> b0 = Vector.Load(bp), b1 = Vector.Load(bp + w);
                var av = new Vector<float>(ap[0]);
                s00 = MultiplyAdd(av, b0, s00); s01 = MultiplyAdd(av, b1, s01);
                av = new Vector<float>(ap[rowStride]);
                s10 = MultiplyAdd(av, b0, s10); s11 = MultiplyAdd(av, b1, s11);
                av = new Vector<float>(ap[2 * rowStride]);
                s20 = MultiplyAdd(av, b0, s20); s21 = MultiplyAdd(av, b1, s21);
                av = new Vector<float>(ap[3 * rowStride]);
                s30 = MultiplyAdd(av, b0, s30); s31 = MultiplyAdd(av, b1, s31);
            }
            FinishVector(c + j, s00, bias, j, accumulate); FinishVector(c + j + w, s01, bias, j + w, accumulate);
            FinishVector(c + n + j, s10, bias, j, accumulate); FinishVector(c + n + j + w, s11, bias, j + w, accumulate);
            FinishVector(c + 2 * n + j, s20, bias, j, accumulate); FinishVector(c + 2 * n + j + w, s21, bias, j + w, accumulate);
            FinishVector(c + 3 * n + j, s30, bias, j, accumulate); FinishVector(c + 3 * n + j + w, s31, bias, j + w, accumulate);
        }
        if (j < j1)
        {
            for (int r = 0; r < 4; r++) AxpyRow(a + r * rowStride, depthStride, b, c + (nint)r * n, n, k, bias, accumulate, j, j1);
        }
    }

    /// <summary>One row of C = op(A)·B for row-major B, columns [j0, j1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AxpyRow(
        float* a, nint depthStride, float* b, float* c, int n, int k, float* bias, bool accumulate, int j0, int j1)
    {
        int w = Vector<float>.Count;
        int j = j0;
        for (; j + 4 * w <= j1; j += 4 * w)
        {
            Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += n)
            {
                var av = new Vector<float>(a[p * depthStride]);
                s0 = MultiplyAdd(av, Vector.Load(bp), s0);
                s1 = MultiplyAdd(av, Vector.Load(bp + w), s1);
                s2 = MultiplyAdd(av, Vector.Load(bp + 2 * w), s2);
                s3 = MultiplyAdd(av, Vector.Load(bp + 3 * w), s3);
            }
            FinishVector(c + j, s0, bias, j, accumulate);
            FinishVector(c + j + w, s1, bias, j + w, accumulate);
            FinishVector(c + j + 2 * w, s2, bias, j + 2 * w, accumulate);
            FinishVector(c + j + 3 * w, s3, bias, j + 3 * w, accumulate);
        }
        for (; j + w <= j1; j += w)
        {
            Vector<float> s = default;
            float* bp = b + j;
            for (int p = 0; p < k; p++, bp += n) s = MultiplyAdd(new Vector<float>(a[p * depthStride]), Vector.Load(bp), s);
            FinishVector(c + j, s, bias, j, accumulate);
        }
        for (; j < j1; j++)
        {
            float s = 0f;
            for (int p = 0; p < k; p++) s = MathF.FusedMultiplyAdd(a[p * depthStride], b[(nint)p * n + j], s);
            Finish(c + j, s, bias, j, accumulate);
        }
    }

    /// <summary>Four rows of C = A·Bᵀ (B stored (N, K)): each B row is read once for four dot products.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void DotRows4(
        float* a, nint lda, float* b, float* c, int n, int k, float* bias, bool accumulate, int j0, int j1)
    {
        int w = Vector<float>.Count;
        float* a0 = a, a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda;
        for (int j = j0; j < j1; j++)
        {
            float* bj = b + (nint)j * k;
            Vector<float> s00 = default, s01 = default, s10 = default, s11 = default;
            Vector<float> s20 = default, s21 = default, s30 = default, s31 = default;
            int p = 0;
            for (; p + 2 * w <= k; p += 2 * w)
            {
                Vector<float> b0 = Vector.Load(bj + p), b1 = Vector.Load(bj + p + w);
                s00 = MultiplyAdd(Vector.Load(a0 + p), b0, s00); s01 = MultiplyAdd(Vector.Load(a0 + p + w), b1, s01);
                s10 = MultiplyAdd(Vector.Load(a1 + p), b0, s10); s11 = MultiplyAdd(Vector.Load(a1 + p + w), b1, s11);
                s20 = MultiplyAdd(Vector.Load(a2 + p), b0, s20); s21 = MultiplyAdd(Vector.Load(a2 + p + w), b1, s21);
                s30 = MultiplyAdd(Vector.Load(a3 + p), b0, s30); s31 = MultiplyAdd(Vector.Load(a3 + p + w), b1, s31);
            }
            float d0 = Vector.Sum(s00 + s01), d1 = Vector.Sum(s10 + s11), d2 = Vector.Sum(s20 + s21), d3 = Vector.Sum(s30 + s31);
            for (; p < k; p++)
            {
                float bv = bj[p];
                d0 = MathF.FusedMultiplyAdd(a0[p], bv, d0);
                d1 = MathF.FusedMultiplyAdd(a1[p], bv, d1);
                d2 = MathF.FusedMultiplyAdd(a2[p], bv, d2);
                d3 = MathF.FusedMultiplyAdd(a3[p], bv, d3);
            }
            Finish(c + j, d0, bias, j, accumulate);
            Finish(c + n + j, d1, bias, j, accumulate);
            Finish(c + 2 * n + j, d2, bias, j, accumulate);
            Finish(c + 3 * n + j, d3, bias, j, accumulate);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float Dot(float* x, float* y, int k)
    {
        int w = Vector<float>.Count;
        int p = 0;
        float sum = 0f;
        if (k >= 4 * w)
        {
            Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
            for (; p + 4 * w <= k; p += 4 * w)
            {
                s0 = MultiplyAdd(Vector.Load(x + p), Vector.Load(y + p), s0);
                s1 = MultiplyAdd(Vector.Load(x + p + w), Vector.Load(y + p + w), s1);
                s2 = MultiplyAdd(Vector.Load(x + p + 2 * w), Vector.Load(y + p + 2 * w), s2);
                s3 = MultiplyAdd(Vector.Load(x + p + 3 * w), Vector.Load(y + p + 3 * w), s3);
            }
            sum = Vector.Sum((s0 + s1) + (s2 + s3));
        }
        for (; p < k; p++) sum = MathF.FusedMultiplyAdd(x[p], y[p], sum);
        return sum;
    }

    /// <summary>x·y + z: one fused instruction where the hardware has FMA, multiply then add elsewhere (fused
    /// multiply-add is emulated slowly without hardware support). Fixed per machine, so results stay deterministic.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<float> MultiplyAdd(Vector<float> x, Vector<float> y, Vector<float> z) =>
        System.Runtime.Intrinsics.X86.Fma.IsSupported || System.Runtime.Intrinsics.Arm.AdvSimd.IsSupported
            ? Vector.FusedMultiplyAdd(x, y, z)
            : x * y + z;

    private static void Finish(float* c, float sum, float* bias, int j, bool accumulate)
    {
        if (bias != null) sum += bias[j];
        *c = accumulate ? *c + sum : sum;
    }

    private static void FinishVector(float* c, Vector<float> sum, float* bias, int j, bool accumulate)
    {
        if (bias != null) sum += Vector.Load(bias + j);
        Vector.Store(accumulate ? Vector.Load(c) + sum : sum, c);
    }
}
