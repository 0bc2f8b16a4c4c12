namespace Myna.Tensors;

/// <summary>
/// Splits [0, count) into fixed-size chunks and runs them on <see cref="ComputePool.Shared"/>. The split depends only on
/// <c>count</c> and <c>grain</c>, never on the thread count, so any per-chunk result is bit-identical however many
/// threads run it.
/// </summary>
internal static class KernelParallel
{
    /// <summary>Body of one chunk: the half-open range [start, end).</summary>
    public delegate void RangeBody(int start, int end);

    /// <summary>Number of chunks <see cref="For"/> makes for <paramref name="count"/> items.</summary>
    public static int ChunkCount(long count, int grain) => (int)((count + grain - 1) / grain);

    /// <summary>Runs <paramref name="body"/> over chunks of at most <paramref name="grain"/> items, on <paramref name="pool"/> (default: the shared one).</summary>
    public static void For(int count, int grain, RangeBody body, ComputePool? pool = null)
    {
        int chunks = ChunkCount(count, grain);
        if (chunks <= 1)
        {
            if (count > 0) body(0, count);
            return;
        }
        (pool ?? ComputePool.Shared).For(chunks, chunk =>
        {
            int start = chunk * grain;
            body(start, Math.Min(start + grain, count));
        });
    }
}
