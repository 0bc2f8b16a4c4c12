namespace Myna.Tensors;

/// <summary>
/// Cache-blocking sizes of the packed GEMM. Chosen for Zen 4/5 (32–48 KiB L1d, 1 MiB L2 per core, shared L3); on the
/// Zen 5 development machine KC 192–768, MC 48–144 and NC 512–2048 were all within ±5 % of these, so the values that
/// also suit the smaller Zen 4 L1 were kept.
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
