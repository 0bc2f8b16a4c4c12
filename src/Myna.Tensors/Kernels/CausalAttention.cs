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
/// saved for the backward pass; the pre-softmax scores are not needed there and are never stored.
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
            ComputePool.Shared.For(batch * heads, bh =>
            {
                int b = bh / NH, h = bh % NH;
                for (int t = 0; t < T; t++)
                {
                    var q = new ReadOnlySpan<float>(x + ((long)b * T + t) * 3 * C + h * hs, hs);
                    var row = new Span<float>(att + ((long)bh * T + t) * T, T);

                    // 1. Scaled scores against keys 0..t, and their maximum.
                    float max = float.NegativeInfinity;
                    for (int t2 = 0; t2 <= t; t2++)
                    {
                        var k = new ReadOnlySpan<float>(x + ((long)b * T + t2) * 3 * C + C + h * hs, hs);
                        float score = VectorOps.Dot(q, k) * scale;
                        row[t2] = score;
                        if (score > max) max = score;
                    }

                    // 2. Stable softmax over the causal prefix; the masked tail is exactly zero.
                    float sum = VectorOps.ExpShiftedInPlace(row[..(t + 1)], max);
                    float inverse = 1f / sum;
                    VectorOps.Scale(row[..(t + 1)], inverse);
                    row[(t + 1)..].Clear();

                    // 3. Weighted sum of the values.
                    var y = new Span<float>(o + ((long)b * T + t) * C + h * hs, hs);
                    y.Clear();
                    for (int t2 = 0; t2 <= t; t2++)
                    {
                        var v = new ReadOnlySpan<float>(x + ((long)b * T + t2) * 3 * C + 2 * C + h * hs, hs);
                        VectorOps.MultiplyAdd(row[t2], v, y);
                    }
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
                // One row of dpreatt at a time; T floats fit on the stack for any GPT-2 context length.
                Span<float> dScores = T <= 4096 ? stackalloc float[T] : new float[T];
                for (int t = 0; t < T; t++)
                {
                    var row = new ReadOnlySpan<float>(att + ((long)bh * T + t) * T, t + 1);
                    var dyt = new ReadOnlySpan<float>(dy + ((long)b * T + t) * C + h * hs, hs);
                    var q = new ReadOnlySpan<float>(x + ((long)b * T + t) * 3 * C + h * hs, hs);
                    var dq = new Span<float>(dx + ((long)b * T + t) * 3 * C + h * hs, hs);

                    // 1. Through y = Σ att·v: datt[t2] = dy·v[t2] and dv[t2] += att[t2]·dy.
                    float weighted = 0f;
                    for (int t2 = 0; t2 <= t; t2++)
                    {
                        long baseT2 = ((long)b * T + t2) * 3 * C + h * hs;
                        var v = new ReadOnlySpan<float>(x + baseT2 + 2 * C, hs);
                        float datt = VectorOps.Dot(dyt, v);
                        dScores[t2] = datt;
                        weighted += datt * row[t2];
                        VectorOps.MultiplyAdd(row[t2], dyt, new Span<float>(dx + baseT2 + 2 * C, hs));
                    }

                    // 2. Through the softmax: dpreatt = att · (datt − Σ att·datt); then through the scaled dot product.
                    for (int t2 = 0; t2 <= t; t2++)
                    {
                        float dScore = row[t2] * (dScores[t2] - weighted) * scale;
                        long baseT2 = ((long)b * T + t2) * 3 * C + h * hs;
                        VectorOps.MultiplyAdd(dScore, new ReadOnlySpan<float>(x + baseT2 + C, hs), dq);
                        VectorOps.MultiplyAdd(dScore, q, new Span<float>(dx + baseT2 + C, hs));
                    }
                }
            });
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
