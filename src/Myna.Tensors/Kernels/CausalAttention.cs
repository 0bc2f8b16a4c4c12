using System.Buffers;

namespace Myna.Tensors;

/// <summary>
/// Causal multi-head self-attention over packed projections. Dimensions: B batch, T time, C channels, NH heads,
/// hs = C / NH head size. The input <c>qkv</c> (B, T, 3C) holds, per position, the query, key and value vectors
/// of all heads one after another (q | k | v, each (NH, hs)), which is what one (C → 3C) linear layer produces.
/// </summary>
/// <remarks>
/// Work is split over the B·NH (batch, head) pairs: each pair owns its slice of every output and gradient, so no two
/// tasks write the same element and results do not depend on the thread count. The softmax is numerically stable
/// (the row maximum is subtracted) and masked causally (position t sees keys 0..t). The post-softmax weights are
/// saved for the backward pass; the pre-softmax scores are not needed there and are never stored. Each task copies
/// its head's keys (forward) or values (backward) into a transposed (hs, T) scratch from <see cref="ArrayPool{T}"/>,
/// so score rows are computed with FMAs across positions instead of one horizontally-summed dot product per key.
/// </remarks>
public static unsafe class CausalAttention
{
    /// <summary>
    /// <c>output (B, T, C)</c> = softmax(q·kᵀ / √hs, causal) · v per head, with the attention weights saved in
    /// <paramref name="attention"/> (B, NH, T, T); entries above the diagonal are written as zero.
    /// </summary>
    /// <exception cref="ArgumentException">A dimension is not positive, C is not a multiple of NH, or a span is too short.</exception>
    public static void Forward(
        Span<float> output, Span<float> attention, ReadOnlySpan<float> qkv,
        int batch, int time, int channels, int heads)
    {
        CheckShape(batch, time, channels, heads);
        Check(output, (long)batch * time * channels, nameof(output));
        Check(attention, (long)batch * heads * time * time, nameof(attention));
        Check(qkv, (long)batch * time * 3 * channels, nameof(qkv));
        fixed (float* pOut = output, pAtt = attention, pQkv = qkv)
        {
            float* o = pOut, att = pAtt, x = pQkv;
            int T = time, C = channels, NH = heads, hs = channels / heads;
            float scale = 1f / MathF.Sqrt(hs);
            int paddedT = PadToVector(T);
            ComputePool.Shared.For(batch * heads, bh =>
            {
                int b = bh / NH, h = bh % NH;
                // Keys of this head transposed to (hs, T), so a row of scores is hs vector FMAs across keys rather than
                // t + 1 dot products that each end in a horizontal sum.
                float[] keysT = ArrayPool<float>.Shared.Rent(hs * paddedT);
                float[] scores = ArrayPool<float>.Shared.Rent(paddedT);
                try
                {
                    Transpose(keysT, x + (long)b * T * 3 * C + C + h * hs, T, hs, 3 * C, paddedT);
                    for (int t = 0; t < T; t++)
                    {
                        float* q = x + ((long)b * T + t) * 3 * C + h * hs;
                        var row = new Span<float>(att + ((long)bh * T + t) * T, T);
                        var prefix = row[..(t + 1)];

                        // 1. Scaled scores against keys 0..t, over whole vectors (the padding lanes are discarded).
                        var padded = new Span<float>(scores, 0, PadToVector(t + 1));
                        padded.Clear();
                        for (int i = 0; i < hs; i++) VectorOps.MultiplyAdd(q[i] * scale, new ReadOnlySpan<float>(keysT, i * paddedT, padded.Length), padded);
                        padded[..(t + 1)].CopyTo(prefix);

                        // 2. Stable softmax over the causal prefix; the masked tail is exactly zero.
                        float max = VectorOps.Max(prefix);
                        float sum = VectorOps.ExpShiftedInPlace(prefix, max);
                        VectorOps.Scale(prefix, 1f / sum);
                        row[(t + 1)..].Clear();

                        // 3. Weighted sum of the values.
                        VectorOps.WeightedRowSum(new Span<float>(o + ((long)b * T + t) * C + h * hs, hs), prefix,
                            x + (long)b * T * 3 * C + 2 * C + h * hs, 3 * C);
                    }
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(scores);
                    ArrayPool<float>.Shared.Return(keysT);
                }
            });
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward"/>: writes (assigns) <paramref name="dQkv"/> (B, T, 3C) from
    /// <paramref name="dOutput"/> (B, T, C), the forward input <paramref name="qkv"/> and the saved
    /// <paramref name="attention"/> (B, NH, T, T).
    /// </summary>
    /// <exception cref="ArgumentException">A dimension is not positive, C is not a multiple of NH, or a span is too short.</exception>
    public static void Backward(
        Span<float> dQkv, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> qkv, ReadOnlySpan<float> attention,
        int batch, int time, int channels, int heads)
    {
        CheckShape(batch, time, channels, heads);
        Check(dQkv, (long)batch * time * 3 * channels, nameof(dQkv));
        Check(dOutput, (long)batch * time * channels, nameof(dOutput));
        Check(qkv, (long)batch * time * 3 * channels, nameof(qkv));
        Check(attention, (long)batch * heads * time * time, nameof(attention));
        fixed (float* pDx = dQkv, pDy = dOutput, pX = qkv, pAtt = attention)
        {
            float* dx = pDx, dy = pDy, x = pX, att = pAtt;
            int T = time, C = channels, NH = heads, hs = channels / heads;
            float scale = 1f / MathF.Sqrt(hs);
            int paddedT = PadToVector(T);
            ComputePool.Shared.For(batch * heads, bh =>
            {
                int b = bh / NH, h = bh % NH;
                // This task owns the (q, k, v) slices of head h in batch b: clear them, then accumulate.
                for (int t = 0; t < T; t++)
                {
                    float* slot = dx + ((long)b * T + t) * 3 * C + h * hs;
                    new Span<float>(slot, hs).Clear();
                    new Span<float>(slot + C, hs).Clear();
                    new Span<float>(slot + 2 * C, hs).Clear();
                }
                // Values of this head transposed to (hs, T), and one row of d(scores) at a time.
                float[] valuesT = ArrayPool<float>.Shared.Rent(hs * paddedT);
                float[] dScores = ArrayPool<float>.Shared.Rent(paddedT);
                try
                {
                    Transpose(valuesT, x + (long)b * T * 3 * C + 2 * C + h * hs, T, hs, 3 * C, paddedT);
                    for (int t = 0; t < T; t++)
                    {
                        var row = new ReadOnlySpan<float>(att + ((long)bh * T + t) * T, t + 1);
                        float* dyt = dy + ((long)b * T + t) * C + h * hs;
                        var q = new ReadOnlySpan<float>(x + ((long)b * T + t) * 3 * C + h * hs, hs);
                        var dq = new Span<float>(dx + ((long)b * T + t) * 3 * C + h * hs, hs);
                        var dPadded = new Span<float>(dScores, 0, PadToVector(t + 1));
                        var dRow = dPadded[..(t + 1)];

                        // 1. Through y = Σ att·v: datt[t2] = dy·v[t2] (vectorised across t2) and dv[t2] += att[t2]·dy.
                        dPadded.Clear();
                        for (int i = 0; i < hs; i++) VectorOps.MultiplyAdd(dyt[i], new ReadOnlySpan<float>(valuesT, i * paddedT, dPadded.Length), dPadded);
                        float weighted = VectorOps.Dot(row, dRow);
                        var dytSpan = new ReadOnlySpan<float>(dyt, hs);
                        for (int t2 = 0; t2 <= t; t2++)
                            VectorOps.MultiplyAdd(row[t2], dytSpan, new Span<float>(dx + ((long)b * T + t2) * 3 * C + 2 * C + h * hs, hs));

                        // 2. Through the softmax, dpreatt = att · (datt − Σ att·datt) (times the score scale, in place), then
                        //    through the dot products: dq = Σ dpreatt[t2]·k[t2] (only query t feeds dq[t], so it is assigned),
                        //    dk[t2] += dpreatt[t2]·q.
                        for (int t2 = 0; t2 <= t; t2++) dRow[t2] = row[t2] * (dRow[t2] - weighted) * scale;
                        VectorOps.WeightedRowSum(dq, dRow, x + (long)b * T * 3 * C + C + h * hs, 3 * C);
                        for (int t2 = 0; t2 <= t; t2++)
                            VectorOps.MultiplyAdd(dRow[t2], q, new Span<float>(dx + ((long)b * T + t2) * 3 * C + C + h * hs, hs));
                    }
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(dScores);
                    ArrayPool<float>.Shared.Return(valuesT);
                }
            });
        }
    }

    // Rows of the transposed scratch are padded to whole Vector512s so score rows never need a scalar tail.
    private const int VectorWidth = 16;

    private static int PadToVector(int n) => (n + VectorWidth - 1) / VectorWidth * VectorWidth;

    // destination (cols, paddedRows) = source (rows, cols) read with the given row stride; padding is zero.
    private static void Transpose(float[] destination, float* source, int rows, int cols, int stride, int paddedRows)
    {
        Array.Clear(destination, 0, cols * paddedRows);
        for (int r = 0; r < rows; r++)
        {
            float* src = source + (long)r * stride;
            for (int c = 0; c < cols; c++) destination[c * paddedRows + r] = src[c];
        }
    }

    private static void CheckShape(int batch, int time, int channels, int heads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(time, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(heads, 1);
        if (channels % heads != 0)
            throw new ArgumentException($"channels ({channels}) must be a multiple of heads ({heads}).", nameof(channels));
    }

    private static void Check(ReadOnlySpan<float> span, long required, string name)
    {
        if (span.Length < required) throw new ArgumentException($"{name} holds {span.Length} values; {required} are needed.", name);
    }
}
