namespace Myna.Tensors;

/// <summary>
/// The packed, cache-blocked GEMM driver (BLIS loop order) for one micro-kernel. Instances hold the pack buffers and
/// are pooled, so a call allocates nothing once warm.
/// <para>
/// Loop nest, for each chunk of ≤ MChunk rows of A and each K slab of ≤ KC:
/// 1. all threads pack the slab of op(A) (rows × kc) into one shared buffer of MR-row panels;
/// 2. each thread takes a fixed, contiguous range of NR-column panels of C; for each NC block of it, packs
///    op(B) (kc × nc) into its own buffer, then for each MC block of rows runs the micro-kernel over
///    (NR columns) × (MR rows) tiles, the B micro-panel staying in L1 and the A block in L2.
/// </para>
/// Every element of C is computed by one thread with the K loop in ascending order, so results do not depend on
/// timing; K slabs are summed into C in order.
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

    // The current step of the loop nest.
    private bool _packingA;
    private int _i0, _rows, _p0, _kc;

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

    private void Execute(
        float* a, float* b, float* c, int m, int n, int k, GemmLayout layout, bool accumulate, float* bias,
        ComputePool pool)
    {
        int nr = TKernel.Nr;
        _a = a; _b = b; _c = c; _bias = bias;
        _m = m; _n = n; _k = k; _layout = layout; _accumulate = accumulate;
        _panelsN = (n + nr - 1) / nr;
        long work = (long)m * n * k;
        _threads = (int)Math.Clamp(work / GemmBlocking.WorkPerThread, 1, Math.Min(pool.ThreadCount, _panelsN));
        EnsureBuffers();

        // Equal K slabs (e.g. K = 300 → 2 × 150, not 256 + 44) keep the kernel's loop long.
        int slabs = (k + GemmBlocking.Kc - 1) / GemmBlocking.Kc;
        int kcEven = (k + slabs - 1) / slabs;
        for (int i0 = 0; i0 < m; i0 += GemmBlocking.MChunk)
        {
            _i0 = i0;
            _rows = Math.Min(GemmBlocking.MChunk, m - i0);
            for (int p0 = 0; p0 < k; p0 += kcEven)
            {
                _p0 = p0;
                _kc = Math.Min(kcEven, k - p0);
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
        int slabRows = Math.Min(_m, GemmBlocking.MChunk);
        int kcMax = Math.Min(_k, GemmBlocking.Kc);
        _aPack.Ensure((long)((slabRows + mr - 1) / mr) * mr * kcMax);
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
            _bPack[t].Ensure(ncMax * kcMax);
            _edge[t].Ensure((long)mr * nr);
        }
    }

    /// <summary>One thread's share of the current step.</summary>
    public void Run(int thread)
    {
        if (_packingA) PackASlab(thread);
        else ComputeColumns(thread);
    }

    private void PackASlab(int thread)
    {
        int mr = TKernel.Mr;
        int panels = (_rows + mr - 1) / mr;
        int start = (int)((long)panels * thread / _threads);
        int end = (int)((long)panels * (thread + 1) / _threads);
        bool kMajor = _layout == GemmLayout.TN;
        nint lda = kMajor ? _m : _k;
        GemmPacking.PackA(_a, kMajor, lda, _i0, _rows, _p0, _kc, mr, start, end, _aPack.Pointer);
    }

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
        float* aPack = _aPack.Pointer;
        int kc = _kc;
        bool firstSlab = _p0 == 0;
        bool loadC = !firstSlab || _accumulate;
        nint ldc = _n;

        for (int jc = jStart; jc < jEnd; jc += GemmBlocking.Nc)
        {
            int nc = Math.Min(GemmBlocking.Nc, jEnd - jc);
            GemmPacking.PackB(_b, transposedB, ldb, _p0, kc, jc, nc, nr, bPack);
            for (int ic = 0; ic < _rows; ic += GemmBlocking.Mc)
            {
                int mc = Math.Min(GemmBlocking.Mc, _rows - ic);
                for (int jr = 0; jr < nc; jr += nr)
                {
                    int ncols = Math.Min(nr, nc - jr);
                    float* bPanel = bPack + (nint)(jr / nr) * kc * nr;
                    float* bias = firstSlab && _bias != null ? _bias + jc + jr : null;
                    for (int ir = 0; ir < mc; ir += mr)
                    {
                        int nrows = Math.Min(mr, mc - ir);
                        float* aPanel = aPack + (nint)((ic + ir) / mr) * kc * mr;
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

    /// <summary>Writes the valid part of an edge tile with the same arithmetic, in the same order, as the kernel.</summary>
    private static void MergeEdge(float* tile, int nr, float* c, nint ldc, int rows, int cols, float* bias, bool loadC)
    {
        for (int i = 0; i < rows; i++)
        {
            float* t = tile + i * nr;
            float* cRow = c + i * ldc;
            for (int j = 0; j < cols; j++)
            {
                float r = t[j];
                if (bias != null) r += bias[j];
                cRow[j] = loadC ? cRow[j] + r : r;
            }
        }
    }
}
