namespace Myna.Tensors;

/// <summary>
/// Cache-blocking sizes of the packed GEMM, shared by every tier. Chosen for Zen 3/4/5 (32–48 KiB L1d, 512 KiB–1 MiB
/// L2 per core, shared L3): the AVX2 kernel's B micro-panel (KC × 16 floats, 16 KiB) leaves half of a 32 KiB L1 to
/// A and C, and the A block (MC × KC, 72 KiB) fits even Zen 3's 512 KiB L2 with room for the B block's stream.
/// On the Zen 5 development machine KC 192–768, MC 48–144 and NC 512–2048 were all within ±5 % of these. Re-tuned
/// on a Zen 4 at the AVX2 and AVX-512 tiers (1 thread, thread CPU time against OpenBLAS Haswell / SkylakeX in the
/// same run): KC 128 and 384, MC 144 and NC 512 and 2048 moved the geomean by less than the run-to-run noise (±3 %),
/// so per-tier values would buy nothing measurable; what did matter was prefetching C in the micro-kernels.
/// </summary>
internal static class GemmBlocking
{
    /// <summary>Depth of one packed K slab: a B micro-panel of KC rows (16 KiB at NR = 16, 32 KiB at NR = 32) stays
    /// in L1 while the micro-kernel sweeps the A panels of an MC block.</summary>
    public const int Kc = 256;

    /// <summary>Rows of A per L2 block: MC×KC floats (72 KiB) stay in L2 while B micro-panels stream past.
    /// A multiple of every kernel's MR (6 and 4).</summary>
    public const int Mc = 72;

    /// <summary>Columns of B packed at once per thread: KC×NC floats. A multiple of every kernel's NR.</summary>
    public const int Nc = 1024;

    /// <summary>Rows of A packed and shared at once; with N-blocks of NC columns, the C block (rows × NC) that is
    /// revisited once per K slab stays within L3. A multiple of MC.</summary>
    public const int MaxChunkRows = 28 * Mc;

    /// <summary>Floats of packed A shared by the threads at once (16 MiB): all of K unless K is huge.</summary>
    public const long PackedABudget = 4 << 20;

    /// <summary>Below this many multiply-adds the packing and dispatch cost more than they save.</summary>
    public const long DirectMaxWork = 32 * 32 * 32;

    /// <summary>Up to this many rows of A (decoding a few tokens), streaming B once beats packing it.</summary>
    public const int DirectMaxRows = 4;

    /// <summary>Multiply-adds each extra thread must get before it is worth waking (2M ≈ 10 µs of one core):
    /// waking a blocked worker costs microseconds, and on a busy machine much more.</summary>
    public const long WorkPerThread = 1 << 21;
}
