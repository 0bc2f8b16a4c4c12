namespace Myna.Tensors;

/// <summary>
/// Attention for incremental decoding: each query row attends over its own contiguous run of cached keys and values.
/// N query rows, C channels, NH heads, hs = C / NH. Row i's query is the first C values of <c>qkv</c> row i (stride 3C,
/// the layout one C → 3C projection produces); its keys and values are <c>length[i]</c> rows of C starting at
/// <c>cacheStart[i]</c> in <c>keys</c> and <c>values</c>. Causality is the caller's: it passes only the positions a row
/// may see.
/// </summary>
/// <remarks>Work is split over (row, head) pairs, each writing its own slice of the output, so results do not depend on the thread count.</remarks>
public static unsafe class CachedAttention
{
    /// <summary>output (N, C) = softmax(q·Kᵀ/√hs)·V per row and head.</summary>
    /// <exception cref="ArgumentException">A dimension is not positive, C is not a multiple of NH, or a range falls outside its span.</exception>
    public static void Forward(
        Span<float> output, ReadOnlySpan<float> qkv, ReadOnlySpan<float> keys, ReadOnlySpan<float> values,
        ReadOnlySpan<int> cacheStart, ReadOnlySpan<int> length, int rows, int channels, int heads, Span<float> scores)
    {
        if (rows < 0 || channels <= 0 || heads <= 0 || channels % heads != 0)
            throw new ArgumentException($"need rows ≥ 0 and C ({channels}) a positive multiple of NH ({heads}).");
        if (output.Length < (long)rows * channels) throw new ArgumentException("output is shorter than (N, C).", nameof(output));
        if (qkv.Length < (long)rows * 3 * channels) throw new ArgumentException("qkv is shorter than (N, 3C).", nameof(qkv));
        if (cacheStart.Length < rows || length.Length < rows) throw new ArgumentException("cacheStart and length need one entry per row.");
        int longest = 0;
        for (int i = 0; i < rows; i++)
        {
            if (length[i] < 1 || cacheStart[i] < 0 || (long)cacheStart[i] + (long)length[i] * channels > Math.Min(keys.Length, values.Length))
                throw new ArgumentException($"row {i}: cache range [{cacheStart[i]}, +{length[i]} rows) is empty or outside the cache.");
            longest = Math.Max(longest, length[i]);
        }
        if (scores.Length < (long)rows * heads * longest)
            throw new ArgumentException($"scores holds {scores.Length} values; N·NH·longest = {(long)rows * heads * longest} are needed.", nameof(scores));

        fixed (float* pOut = output, pQkv = qkv, pK = keys, pV = values, pS = scores)
        fixed (int* pStart = cacheStart, pLength = length)
        {
            float* o = pOut, x = pQkv, k = pK, v = pV, s = pS;
            int* start = pStart, len = pLength;
            int C = channels, NH = heads, hs = channels / heads, stride = longest;
            float scale = 1f / MathF.Sqrt(hs);
            ComputePool.Shared.For(rows * NH, rh =>
            {
                int i = rh / NH, h = rh % NH, n = len[i];
                var q = new ReadOnlySpan<float>(x + (long)i * 3 * C + h * hs, hs);
                var row = new Span<float>(s + (long)rh * stride, n);
                float* kBase = k + start[i] + h * hs, vBase = v + start[i] + h * hs;

                // 1. Scaled scores and their maximum.
                float max = float.NegativeInfinity;
                for (int j = 0; j < n; j++)
                {
                    float score = KernelSimd.Dot(q, new ReadOnlySpan<float>(kBase + (long)j * C, hs)) * scale;
                    row[j] = score;
                    if (score > max) max = score;
                }

                // 2. Stable softmax.
                float sum = KernelSimd.ExpShiftedInPlace(row, max);
                KernelSimd.Scale(row, 1f / sum);

                // 3. Weighted sum of the values.
                var y = new Span<float>(o + (long)i * C + h * hs, hs);
                y.Clear();
                for (int j = 0; j < n; j++) KernelSimd.MultiplyAdd(row[j], new ReadOnlySpan<float>(vBase + (long)j * C, hs), y);
            });
        }
    }
}
