using System.Numerics;
using System.Runtime.CompilerServices;

namespace Myna.Tensors;

/// <summary>
/// The packed, cache-blocked GEMM driver (BLIS loop order) for one micro-kernel. Instances hold the pack buffers and
/// are pooled, so a call allocates nothing once warm.
/// <para>
/// For each chunk of ≤ <see cref="GemmBlocking.MaxChunkRows"/> rows of A and each group of K slabs (as many as fit
/// <see cref="GemmBlocking.PackedABudget"/>; usually all of K):
/// 1. all threads pack that block of op(A) into one shared buffer of MR-row, k-major panels, one run per K slab;
/// 2. each thread takes a fixed, contiguous range of NR-column panels of C and, for each NC block of it and each
///    K slab of the group in order, packs op(B) (kc × nc) into its own buffer, then for each MC block of rows runs the
///    micro-kernel over NR × MR tiles: the B micro-panel stays in L1, the A block in L2, and the C block
///    (rows × NC) in cache across the K slabs.
/// </para>
/// Every element of C is computed by one thread, K slabs summed into C in ascending order, so results do not depend
/// on timing.
/// </summary>
internal sealed unsafe class PackedGemm<TKernel> : IComputeTask where TKernel : struct, IGemmMicroKernel
{
    private static readonly Stack<PackedGemm<TKernel>> s_idle = new();

    private readonly PackBuffer _aPack = new();
    private PackBuffer[] _bPack = [];
    private PackBuffer[] _edge = [];

    // The call: raw pointers stay valid because the caller keeps its spans fixed until Execute returns.
    private float* _a, _b, _c, _bias;
    private int _m, _n, _k, _threads, _panelsN;
    private GemmLayout _layout;
    private bool _accumulate;

    // K slabs: equal depths (e.g. K = 300 → 2 × 150, not 256 + 44) keep the kernel's loop long.
    private int _kcEven, _slabs;

    // Blocking of A into chunks of rows × groups of slabs, and the current block and phase.
    private int _chunkRows, _groupSlabs;
    private bool _packingA;
    private int _i0, _rows, _slab0, _slabCount;

    public static void Multiply(
        float* a, float* b, float* c, int m, int n, int k, GemmLayout layout, bool accumulate, float* bias,
        ComputePool pool)
    {
        PackedGemm<TKernel>? gemm;
        lock (s_idle) s_idle.TryPop(out gemm);
        gemm ??= new PackedGemm<TKernel>();
        try
        {
            gemm.Execute(a, b, c, m, n, k, layout, accumulate, bias, pool);
        }
        finally
        {
            gemm._a = gemm._b = gemm._c = gemm._bias = null;
            lock (s_idle) s_idle.Push(gemm);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Execute(
        float* a, float* b, float* c, int m, int n, int k, GemmLayout layout, bool accumulate, float* bias,
        ComputePool pool)
    {
        int mr = TKernel.Mr, nr = TKernel.Nr;
        _a = a; _b = b; _c = c; _bias = bias;
        _m = m; _n = n; _k = k; _layout = layout; _accumulate = accumulate;
        _panelsN = (n + nr - 1) / nr;
        long work = (long)m * n * k;
        _threads = (int)Math.Clamp(work / GemmBlocking.WorkPerThread, 1, Math.Min(pool.ThreadCount, _panelsN));
        _slabs = (k + GemmBlocking.Kc - 1) / GemmBlocking.Kc;
        _kcEven = (k + _slabs - 1) / _slabs;

        _chunkRows = Math.Min(GemmBlocking.MaxChunkRows, (m + mr - 1) / mr * mr);
        _groupSlabs = (int)Math.Clamp(GemmBlocking.PackedABudget / ((long)_chunkRows * _kcEven), 1, _slabs);
        EnsureBuffers();

        for (int i0 = 0; i0 < m; i0 += _chunkRows)
        {
            _i0 = i0;
            _rows = Math.Min(_chunkRows, m - i0);
            for (int slab0 = 0; slab0 < _slabs; slab0 += _groupSlabs)
            {
                _slab0 = slab0;
                _slabCount = Math.Min(_groupSlabs, _slabs - slab0);
                _packingA = true;
                RunAllThreads(pool);
                _packingA = false;
                RunAllThreads(pool);
            }
        }
    }

    private void RunAllThreads(ComputePool pool)
    {
        if (_threads == 1) Run(0);
        else pool.For(_threads, this);
    }

    private void EnsureBuffers()
    {
        int mr = TKernel.Mr, nr = TKernel.Nr;
        _aPack.Ensure((long)(_chunkRows + mr - 1) / mr * mr * _kcEven * _groupSlabs);
        if (_bPack.Length < _threads)
        {
            Array.Resize(ref _bPack, _threads);
            Array.Resize(ref _edge, _threads);
            for (int t = 0; t < _threads; t++)
            {
                _bPack[t] ??= new PackBuffer();
                _edge[t] ??= new PackBuffer();
            }
        }
        int panelsPerThread = (_panelsN + _threads - 1) / _threads;
        long ncMax = Math.Min(GemmBlocking.Nc, (long)panelsPerThread * nr);
        for (int t = 0; t < _threads; t++)
        {
            _bPack[t].Ensure(ncMax * _kcEven);
            _edge[t].Ensure((long)mr * nr);
        }
    }

    /// <summary>One thread's share of the current phase.</summary>
    public void Run(int thread)
    {
        if (_packingA) PackAChunk(thread);
        else ComputeColumns(thread);
    }

    /// <summary>Start of K slab <paramref name="slab"/> (of the current group) in the packed A block.</summary>
    private float* PackedASlab(int slab)
    {
        int mr = TKernel.Mr;
        return _aPack.Pointer + (nint)(slab - _slab0) * ((_rows + mr - 1) / mr * mr) * _kcEven;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void PackAChunk(int thread)
    {
        int mr = TKernel.Mr;
        int panels = (_rows + mr - 1) / mr;
        int start = (int)((long)panels * thread / _threads);
        int end = (int)((long)panels * (thread + 1) / _threads);
        bool kMajor = _layout == GemmLayout.TN;
        nint lda = kMajor ? _m : _k;
        for (int slab = _slab0; slab < _slab0 + _slabCount; slab++)
        {
            int p0 = slab * _kcEven;
            int kc = Math.Min(_kcEven, _k - p0);
            GemmPacking.PackA(_a, kMajor, lda, _i0, _rows, p0, kc, mr, start, end, PackedASlab(slab));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ComputeColumns(int thread)
    {
        int mr = TKernel.Mr, nr = TKernel.Nr;
        int firstPanel = (int)((long)_panelsN * thread / _threads);
        int endPanel = (int)((long)_panelsN * (thread + 1) / _threads);
        int jStart = firstPanel * nr;
        int jEnd = Math.Min(endPanel * nr, _n);
        bool transposedB = _layout == GemmLayout.NT;
        nint ldb = transposedB ? _k : _n;
        float* bPack = _bPack[thread].Pointer;
        float* edge = _edge[thread].Pointer;
        nint ldc = _n;

        for (int jc = jStart; jc < jEnd; jc += GemmBlocking.Nc)
        {
            int nc = Math.Min(GemmBlocking.Nc, jEnd - jc);
            for (int slab = _slab0; slab < _slab0 + _slabCount; slab++)
            {
                int p0 = slab * _kcEven;
                int kc = Math.Min(_kcEven, _k - p0);
                bool loadC = slab > 0 || _accumulate;
                float* biasBlock = slab == 0 && _bias != null ? _bias + jc : null;
                float* aSlab = PackedASlab(slab);
                GemmPacking.PackB(_b, transposedB, ldb, p0, kc, jc, nc, nr, bPack);
                for (int ic = 0; ic < _rows; ic += GemmBlocking.Mc)
                {
                    int mc = Math.Min(GemmBlocking.Mc, _rows - ic);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int ncols = Math.Min(nr, nc - jr);
                        float* bPanel = bPack + (nint)(jr / nr) * kc * nr;
                        float* bias = biasBlock != null ? biasBlock + jr : null;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int nrows = Math.Min(mr, mc - ir);
                            float* aPanel = aSlab + (nint)((ic + ir) / mr) * kc * mr;
                            float* cTile = _c + (nint)(_i0 + ic + ir) * ldc + jc + jr;
                            if (nrows == mr && ncols == nr)
                            {
                                TKernel.Run(kc, aPanel, bPanel, cTile, ldc, bias, loadC);
                            }
                            else
                            {
                                TKernel.Run(kc, aPanel, bPanel, edge, nr, null, false);
                                MergeEdge(edge, nr, cTile, ldc, nrows, ncols, bias, loadC);
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Writes the valid part of an edge tile with the same arithmetic, in the same order, as the kernel:
    /// <c>r = tile + bias; c = loadC ? c + r : r</c>, lane by lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MergeEdge(float* tile, int nr, float* c, nint ldc, int rows, int cols, float* bias, bool loadC)
    {
        int w = Vector<float>.Count;
        for (int i = 0; i < rows; i++)
        {
            float* t = tile + i * nr;
            float* cRow = c + i * ldc;
            int j = 0;
            for (; j + w <= cols; j += w)
            {
                Vector<float> r = Vector.Load(t + j);
                if (bias != null) r += Vector.Load(bias + j);
                Vector.Store(loadC ? Vector.Load(cRow + j) + r : r, cRow + j);
            }
            for (; j < cols; j++)
            {
                float r = t[j];
                if (bias != null) r += bias[j];
                cRow[j] = loadC ? cRow[j] + r : r;
            }
        }
    }
}
