using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace Myna.Tensors;

/// <summary>
/// Causal multi-head self-attention over packed projections. Dimensions: B batch, T time, C channels, NH heads,
/// hs = C / NH head size. The input <c>qkv</c> (B, T, 3C) holds, per position, the query, key and value vectors
/// of all heads one after another (q | k | v, each (NH, hs)), which is what one (C → 3C) linear layer produces.
/// </summary>
/// <remarks>
/// Work is split over the B·NH (batch, head) pairs: each pair owns its slice of every output and gradient, so no two
/// tasks write the same element and results do not depend on the thread count. The softmax is numerically stable
/// (the row maximum is subtracted) and masked causally (position t sees keys 0..t).
/// Memory: the forward pass saves only each score row's log-sum-exp, (B, NH, T), and the backward pass recomputes the
/// attention weights from q, k and it (as FlashAttention does) instead of keeping B·NH·T² weights per layer, which
/// would be 200 MB per layer at B 4, T 1024. The recompute costs one more q·kᵀ per step.
/// Speed: each task copies its head's keys (and, backward, values) into transposed (hs, T) scratch from
/// <see cref="ArrayPool{T}"/>, so score rows are computed four queries at a time in a register tile, with FMAs across
/// positions instead of one horizontally-summed dot product per key. Every weighted sum over positions (att·v
/// forward; dpreatt·k, dpreattᵀ·q and attᵀ·dy backward, the last two over transposed copies of att and dpreatt) keeps
/// its output in registers.
/// </remarks>
public static unsafe class CausalAttention
{
    /// <summary>
    /// <c>output (B, T, C)</c> = softmax(q·kᵀ / √hs, causal) · v per head, saving each score row's log-sum-exp
    /// <c>log Σ_t2 exp(q_t·k_t2 / √hs)</c> in <paramref name="logSumExp"/> (B, NH, T) for the backward pass.
    /// </summary>
    /// <exception cref="ArgumentException">A dimension is not positive, C is not a multiple of NH, or a span is too short.</exception>
    public static void Forward(
        Span<float> output, Span<float> logSumExp, ReadOnlySpan<float> qkv,
        int batch, int time, int channels, int heads)
    {
        CheckShape(batch, time, channels, heads);
        Check(output, (long)batch * time * channels, nameof(output));
        Check(logSumExp, (long)batch * heads * time, nameof(logSumExp));
        Check(qkv, (long)batch * time * 3 * channels, nameof(qkv));
        fixed (float* pOut = output, pLse = logSumExp, pQkv = qkv)
        {
            float* o = pOut, lse = pLse, x = pQkv;
            int T = time, C = channels, NH = heads, hs = channels / heads;
            float scale = 1f / MathF.Sqrt(hs);
            int paddedT = PadToVector(T);
            ComputePool.Shared.For(batch * heads, bh =>
            {
                int b = bh / NH, h = bh % NH;
                float[] keysT = ArrayPool<float>.Shared.Rent(hs * paddedT);
                float[] scores = ArrayPool<float>.Shared.Rent(TileRows * paddedT);
                try
                {
                    Transpose(keysT, x + (long)b * T * 3 * C + C + h * hs, T, hs, 3 * C, paddedT);
                    fixed (float* kt = keysT, sc = scores)
                    {
                        for (int t0 = 0; t0 < T; t0 += TileRows)
                        {
                            // 1. Scaled scores of up to four queries against keys 0..t, over whole vectors (lanes past a
                            //    row's causal limit are computed and ignored).
                            int rows = Math.Min(TileRows, T - t0);
                            RowsTimesTransposed(x + ((long)b * T + t0) * 3 * C + h * hs, 3 * C, rows, kt, paddedT, hs, sc, paddedT, PadToVector(t0 + rows), scale);
                            for (int r = 0; r < rows; r++)
                            {
                                int t = t0 + r;
                                var prefix = new Span<float>(sc + r * paddedT, t + 1);

                                // 2. Stable softmax over the causal prefix, keeping its log-sum-exp.
                                float max = KernelSimd.Max(prefix);
                                float sum = KernelSimd.ExpShiftedInPlace(prefix, max);
                                KernelSimd.Scale(prefix, 1f / sum);
                                lse[(long)bh * T + t] = max + MathF.Log(sum);

                                // 3. Weighted sum of the values.
                                KernelSimd.WeightedRowSum(new Span<float>(o + ((long)b * T + t) * C + h * hs, hs), prefix,
                                    x + (long)b * T * 3 * C + 2 * C + h * hs, 3 * C);
                            }
                        }
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
    /// Backward of <see cref="Forward"/>: assigns <paramref name="dQkv"/> (B, T, 3C) from <paramref name="dOutput"/>
    /// (B, T, C), the forward input <paramref name="qkv"/> and the saved <paramref name="logSumExp"/> (B, NH, T).
    /// </summary>
    /// <exception cref="ArgumentException">A dimension is not positive, C is not a multiple of NH, or a span is too short.</exception>
    public static void Backward(
        Span<float> dQkv, ReadOnlySpan<float> dOutput, ReadOnlySpan<float> qkv, ReadOnlySpan<float> logSumExp,
        int batch, int time, int channels, int heads)
    {
        CheckShape(batch, time, channels, heads);
        Check(dQkv, (long)batch * time * 3 * channels, nameof(dQkv));
        Check(dOutput, (long)batch * time * channels, nameof(dOutput));
        Check(qkv, (long)batch * time * 3 * channels, nameof(qkv));
        Check(logSumExp, (long)batch * heads * time, nameof(logSumExp));
        fixed (float* pDx = dQkv, pDy = dOutput, pX = qkv, pLse = logSumExp)
        {
            float* dx = pDx, dy = pDy, x = pX, lse = pLse;
            int T = time, C = channels, NH = heads, hs = channels / heads;
            float scale = 1f / MathF.Sqrt(hs);
            int paddedT = PadToVector(T);
            ComputePool.Shared.For(batch * heads, bh =>
            {
                int b = bh / NH, h = bh % NH;
                // This task owns the (q, k, v) gradient slices of head h in batch b and assigns every one of them.
                // Scratch: keys and values transposed (hs, T); up to four rows of scores and of d(scores); and att and
                // dpreatt transposed (T, T) so that dk and dv, which gather over later queries, are register-held
                // weighted row sums too.
                float[] keysT = ArrayPool<float>.Shared.Rent(hs * paddedT);
                float[] valuesT = ArrayPool<float>.Shared.Rent(hs * paddedT);
                float[] scores = ArrayPool<float>.Shared.Rent(TileRows * paddedT);
                float[] dScores = ArrayPool<float>.Shared.Rent(TileRows * paddedT);
                float[] attT = ArrayPool<float>.Shared.Rent(T * paddedT);
                float[] dPreT = ArrayPool<float>.Shared.Rent(T * paddedT);
                try
                {
                    Transpose(keysT, x + (long)b * T * 3 * C + C + h * hs, T, hs, 3 * C, paddedT);
                    Transpose(valuesT, x + (long)b * T * 3 * C + 2 * C + h * hs, T, hs, 3 * C, paddedT);
                    fixed (float* kt = keysT, vt = valuesT, sc = scores, ds = dScores, aT = attT, pT = dPreT)
                    {
                        // 1. Query rows, four at a time.
                        for (int t0 = 0; t0 < T; t0 += TileRows)
                        {
                            // 1a. Recompute the scores, and datt[t, t2] = dy[t]·v[t2].
                            int rows = Math.Min(TileRows, T - t0);
                            int width = PadToVector(t0 + rows);
                            RowsTimesTransposed(x + ((long)b * T + t0) * 3 * C + h * hs, 3 * C, rows, kt, paddedT, hs, sc, paddedT, width, scale);
                            RowsTimesTransposed(dy + ((long)b * T + t0) * C + h * hs, C, rows, vt, paddedT, hs, ds, paddedT, width, 1f);
                            for (int r = 0; r < rows; r++)
                            {
                                int t = t0 + r;
                                // att[t, t2] = exp(score − lse), exactly the forward's softmax up to rounding.
                                var row = new Span<float>(sc + r * paddedT, t + 1);
                                KernelSimd.ExpShiftedInPlace(row, lse[(long)bh * T + t]);
                                var dRow = new Span<float>(ds + r * paddedT, t + 1);

                                // 1b. Through the softmax: dpreatt = att · (datt − Σ att·datt), times the score scale.
                                float weighted = KernelSimd.Dot(row, dRow);
                                for (int t2 = 0; t2 <= t; t2++)
                                {
                                    float dPre = row[t2] * (dRow[t2] - weighted) * scale;
                                    dRow[t2] = dPre;
                                    aT[(long)t2 * paddedT + t] = row[t2];
                                    pT[(long)t2 * paddedT + t] = dPre;
                                }

                                // 1c. dq[t] = Σ_t2 dpreatt[t, t2]·k[t2].
                                KernelSimd.WeightedRowSum(new Span<float>(dx + ((long)b * T + t) * 3 * C + h * hs, hs), dRow,
                                    x + (long)b * T * 3 * C + C + h * hs, 3 * C);
                            }
                        }

                        // 2. Key/value rows: dk[t2] = Σ_{t ≥ t2} dpreatt[t, t2]·q[t], dv[t2] = Σ_{t ≥ t2} att[t, t2]·dy[t].
                        for (int t2 = 0; t2 < T; t2++)
                        {
                            int later = T - t2;
                            float* slot = dx + ((long)b * T + t2) * 3 * C + h * hs;
                            KernelSimd.WeightedRowSum(new Span<float>(slot + C, hs), new ReadOnlySpan<float>(pT + (long)t2 * paddedT + t2, later),
                                x + ((long)b * T + t2) * 3 * C + h * hs, 3 * C);
                            KernelSimd.WeightedRowSum(new Span<float>(slot + 2 * C, hs), new ReadOnlySpan<float>(aT + (long)t2 * paddedT + t2, later),
                                dy + ((long)b * T + t2) * C + h * hs, C);
                        }
                    }
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(dPreT);
                    ArrayPool<float>.Shared.Return(attT);
                    ArrayPool<float>.Shared.Return(dScores);
                    ArrayPool<float>.Shared.Return(scores);
                    ArrayPool<float>.Shared.Return(valuesT);
                    ArrayPool<float>.Shared.Return(keysT);
                }
            });
        }
    }

    // Rows of the transposed scratch are padded to whole Vector512s so score rows never need a scalar tail.
    private const int VectorWidth = 16;

    // Query rows per register tile: 4 rows × 4 vectors = 16 accumulators, leaving registers for 4 key vectors and a broadcast.
    private const int TileRows = 4;

    // c[r, 0..n) = scale · Σ_i a[r·aStride + i] · bt[i·btStride + 0..n) for r < rows ≤ 4, with n a multiple of 16:
    // a few rows times a transposed matrix, blocked so every loaded key vector feeds four FMAs.
    private static void RowsTimesTransposed(float* a, long aStride, int rows, float* bt, int btStride, int k, float* c, int cStride, int n, float scale)
    {
        // A short tile repeats its last row; the repeats are computed but not stored.
        float* a0 = a, a1 = a + Math.Min(1, rows - 1) * aStride, a2 = a + Math.Min(2, rows - 1) * aStride, a3 = a + Math.Min(3, rows - 1) * aStride;
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vs = Vector512.Create(scale);
            for (; j + 4 * VectorWidth <= n; j += 4 * VectorWidth)
            {
                Vector512<float> c00 = default, c01 = default, c02 = default, c03 = default;
                Vector512<float> c10 = default, c11 = default, c12 = default, c13 = default;
                Vector512<float> c20 = default, c21 = default, c22 = default, c23 = default;
                Vector512<float> c30 = default, c31 = default, c32 = default, c33 = default;
                for (int i = 0; i < k; i++)
                {
                    float* bRow = bt + (long)i * btStride + j;
                    var b0 = Vector512.Load(bRow);
                    var b1 = Vector512.Load(bRow + 16);
                    var b2 = Vector512.Load(bRow + 32);
                    var b3 = Vector512.Load(bRow + 48);
                    var q = Vector512.Create(a0[i]);
                    c00 = Vector512.FusedMultiplyAdd(q, b0, c00); c01 = Vector512.FusedMultiplyAdd(q, b1, c01);
                    c02 = Vector512.FusedMultiplyAdd(q, b2, c02); c03 = Vector512.FusedMultiplyAdd(q, b3, c03);
                    q = Vector512.Create(a1[i]);
                    c10 = Vector512.FusedMultiplyAdd(q, b0, c10); c11 = Vector512.FusedMultiplyAdd(q, b1, c11);
                    c12 = Vector512.FusedMultiplyAdd(q, b2, c12); c13 = Vector512.FusedMultiplyAdd(q, b3, c13);
                    q = Vector512.Create(a2[i]);
                    c20 = Vector512.FusedMultiplyAdd(q, b0, c20); c21 = Vector512.FusedMultiplyAdd(q, b1, c21);
                    c22 = Vector512.FusedMultiplyAdd(q, b2, c22); c23 = Vector512.FusedMultiplyAdd(q, b3, c23);
                    q = Vector512.Create(a3[i]);
                    c30 = Vector512.FusedMultiplyAdd(q, b0, c30); c31 = Vector512.FusedMultiplyAdd(q, b1, c31);
                    c32 = Vector512.FusedMultiplyAdd(q, b2, c32); c33 = Vector512.FusedMultiplyAdd(q, b3, c33);
                }
                float* cRow = c + j;
                (c00 * vs).Store(cRow); (c01 * vs).Store(cRow + 16); (c02 * vs).Store(cRow + 32); (c03 * vs).Store(cRow + 48);
                if (rows > 1) { cRow += cStride; (c10 * vs).Store(cRow); (c11 * vs).Store(cRow + 16); (c12 * vs).Store(cRow + 32); (c13 * vs).Store(cRow + 48); }
                if (rows > 2) { cRow += cStride; (c20 * vs).Store(cRow); (c21 * vs).Store(cRow + 16); (c22 * vs).Store(cRow + 32); (c23 * vs).Store(cRow + 48); }
                if (rows > 3) { cRow += cStride; (c30 * vs).Store(cRow); (c31 * vs).Store(cRow + 16); (c32 * vs).Store(cRow + 32); (c33 * vs).Store(cRow + 48); }
            }
            for (; j < n; j += VectorWidth)
            {
                Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default;
                for (int i = 0; i < k; i++)
                {
                    var bv = Vector512.Load(bt + (long)i * btStride + j);
                    c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a0[i]), bv, c0);
                    c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a1[i]), bv, c1);
                    c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a2[i]), bv, c2);
                    c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a3[i]), bv, c3);
                }
                (c0 * vs).Store(c + j);
                if (rows > 1) (c1 * vs).Store(c + cStride + j);
                if (rows > 2) (c2 * vs).Store(c + 2 * cStride + j);
                if (rows > 3) (c3 * vs).Store(c + 3 * cStride + j);
            }
        }
        else if (Vector.IsHardwareAccelerated)
        {
            // The same 4-row tile, one hardware-sized vector of keys at a time (n is a multiple of its width).
            var vs = new Vector<float>(scale);
            int width = Vector<float>.Count;
            for (; j + width <= n; j += width)
            {
                Vector<float> c0 = default, c1 = default, c2 = default, c3 = default;
                for (int i = 0; i < k; i++)
                {
                    var bv = Vector.Load(bt + (long)i * btStride + j);
                    c0 = Vector.FusedMultiplyAdd(new Vector<float>(a0[i]), bv, c0);
                    c1 = Vector.FusedMultiplyAdd(new Vector<float>(a1[i]), bv, c1);
                    c2 = Vector.FusedMultiplyAdd(new Vector<float>(a2[i]), bv, c2);
                    c3 = Vector.FusedMultiplyAdd(new Vector<float>(a3[i]), bv, c3);
                }
                (c0 * vs).Store(c + j);
                if (rows > 1) (c1 * vs).Store(c + cStride + j);
                if (rows > 2) (c2 * vs).Store(c + 2 * cStride + j);
                if (rows > 3) (c3 * vs).Store(c + 3 * cStride + j);
            }
        }
        for (int r = 0; r < rows; r++)
        {
            float* ar = a + r * aStride;
            for (int jj = j; jj < n; jj++)
            {
                float sum = 0f;
                for (int i = 0; i < k; i++) sum += ar[i] * bt[(long)i * btStride + jj];
                c[r * cStride + jj] = sum * scale;
            }
        }
    }

    private static int PadToVector(int n) => (n + VectorWidth - 1) / VectorWidth * VectorWidth;

    // destination (cols, paddedRows) = source (rows, cols) read with the given row stride; padding is zero.
    private static void Transpose(float[] destination, float* source, int rows, int cols, int stride, int paddedRows)
    {
        Array.Clear(destination, 0, cols * paddedRows);
        fixed (float* d = destination)
        {
            for (int r = 0; r < rows; r++)
            {
                float* src = source + (long)r * stride;
                float* dst = d + r;
                for (int c = 0; c < cols; c++) dst[(long)c * paddedRows] = src[c];
            }
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
