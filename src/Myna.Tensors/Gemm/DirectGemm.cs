using System.Numerics;

namespace Myna.Tensors;

/// <summary>
/// GEMM without packing, for shapes where packing does not pay: tiny products and thin ones (one or two rows of A,
/// as in single-token decoding, or one to three columns). Columns are split across threads in fixed blocks;
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

    /// <summary>Computes columns [j0, j1) of every row of C.</summary>
    private static void Columns(
        float* a, float* b, float* c, int m, int n, int k, GemmLayout layout, bool accumulate, float* bias,
        int j0, int j1)
    {
        if (layout == GemmLayout.NT)
        {
            for (int i = 0; i < m; i++)
            {
                float* aRow = a + (nint)i * k;
                for (int j = j0; j < j1; j++)
                    Finish(c + (nint)i * n + j, Dot(aRow, b + (nint)j * k, k), bias, j, accumulate);
            }
            return;
        }

        // NN and TN: op(A)(i, p) sits at a[i·K + p] or a[p·M + i]; B rows are contiguous.
        nint aRowStride = layout == GemmLayout.TN ? 1 : k;
        nint aDepthStride = layout == GemmLayout.TN ? m : 1;
        int w = Vector<float>.Count;
        for (int i = 0; i < m; i++)
        {
            float* aI = a + i * aRowStride;
            float* cRow = c + (nint)i * n;
            int j = j0;
            for (; j + 4 * w <= j1; j += 4 * w)
            {
                Vector<float> s0 = default, s1 = default, s2 = default, s3 = default;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += n)
                {
                    var av = new Vector<float>(aI[p * aDepthStride]);
                    s0 += av * Vector.Load(bp);
                    s1 += av * Vector.Load(bp + w);
                    s2 += av * Vector.Load(bp + 2 * w);
                    s3 += av * Vector.Load(bp + 3 * w);
                }
                FinishVector(cRow + j, s0, bias, j, accumulate);
                FinishVector(cRow + j + w, s1, bias, j + w, accumulate);
                FinishVector(cRow + j + 2 * w, s2, bias, j + 2 * w, accumulate);
                FinishVector(cRow + j + 3 * w, s3, bias, j + 3 * w, accumulate);
            }
            for (; j + w <= j1; j += w)
            {
                Vector<float> s = default;
                float* bp = b + j;
                for (int p = 0; p < k; p++, bp += n) s += new Vector<float>(aI[p * aDepthStride]) * Vector.Load(bp);
                FinishVector(cRow + j, s, bias, j, accumulate);
            }
            for (; j < j1; j++)
            {
                float s = 0f;
                for (int p = 0; p < k; p++) s += aI[p * aDepthStride] * b[(nint)p * n + j];
                Finish(cRow + j, s, bias, j, accumulate);
            }
        }
    }

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
                s0 += Vector.Load(x + p) * Vector.Load(y + p);
                s1 += Vector.Load(x + p + w) * Vector.Load(y + p + w);
                s2 += Vector.Load(x + p + 2 * w) * Vector.Load(y + p + 2 * w);
                s3 += Vector.Load(x + p + 3 * w) * Vector.Load(y + p + 3 * w);
            }
            sum = Vector.Sum((s0 + s1) + (s2 + s3));
        }
        for (; p < k; p++) sum += x[p] * y[p];
        return sum;
    }

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
