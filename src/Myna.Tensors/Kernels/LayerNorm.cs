using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Myna.Tensors;

/// <summary>
/// Layer normalisation over the last dimension: <c>out = (x − mean) · rstd · weight + bias</c>, row by row.
/// N rows (any leading dimensions flattened), C channels.
/// </summary>
/// <remarks>
/// Runs at the process's <see cref="SimdTier"/> (the internal overloads take one explicitly, for tests); each tier's
/// loops are one generic body over <see cref="ISimdLanes{TVector}"/>. At the AVX-512 tier a row of fewer than 16
/// channels reduces with one Vector256 step, as it did when the fallback was the 256-bit <c>Vector&lt;T&gt;</c>, so
/// training results are unchanged bit for bit.
/// </remarks>
public static unsafe class LayerNorm
{
    /// <summary>Added to the variance before the square root (GPT-2's value).</summary>
    public const float Epsilon = 1e-5f;

    // Rows per parallel task: a few rows amortise the dispatch, and the split never depends on the thread count.
    private const int RowGrain = 8;

    // Channels per parallel task in the weight/bias gradient pass.
    private const int ChannelGrain = 64;

    private static readonly SimdTier Tier = SimdTiers.Current;

    /// <summary>
    /// Normalises each row of <paramref name="input"/> (N, C) into <paramref name="output"/> (N, C) and saves the row
    /// <paramref name="mean"/> (N) and reciprocal standard deviation <paramref name="rstd"/> (N) for the backward pass.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires.</exception>
    public static void Forward(
        Span<float> output, Span<float> mean, Span<float> rstd,
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rows, int channels) =>
        Forward(output, mean, rstd, input, weight, bias, rows, channels, Tier);

    /// <summary><see cref="Forward(Span{float}, Span{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int)"/> at an explicit tier and pool.</summary>
    internal static void Forward(
        Span<float> output, Span<float> mean, Span<float> rstd,
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rows, int channels, SimdTier tier, ComputePool? pool = null)
    {
        Check(output, (long)rows * channels, nameof(output));
        Check(mean, rows, nameof(mean));
        Check(rstd, rows, nameof(rstd));
        Check(input, (long)rows * channels, nameof(input));
        Check(weight, channels, nameof(weight));
        Check(bias, channels, nameof(bias));
        fixed (float* pOut = output, pMean = mean, pRstd = rstd, pIn = input, pW = weight, pB = bias)
        {
            float* o = pOut, mu = pMean, rs = pRstd, x = pIn, w = pW, b = pB;
            int c = channels;
            KernelParallel.For(rows, RowGrain, (start, end) =>
            {
                for (int r = start; r < end; r++)
                {
                    switch (tier)
                    {
                        case SimdTier.Avx512: ForwardRow<Lanes512, Vector512<float>>(o, mu, rs, x, w, b, r, c); break;
                        case SimdTier.Avx2: ForwardRow<Lanes256, Vector256<float>>(o, mu, rs, x, w, b, r, c); break;
                        default: ForwardRow<Lanes128, Vector128<float>>(o, mu, rs, x, w, b, r, c); break;
                    }
                }
            }, pool);
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward(Span{float}, Span{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int)"/>.
    /// <paramref name="dInput"/> (N, C) ACCUMULATES (+=): in a pre-LN transformer it is the residual stream's gradient,
    /// which already holds the gradient of the skip path. <paramref name="dWeight"/> and <paramref name="dBias"/> (C)
    /// accumulate as every parameter gradient does.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires.</exception>
    public static void Backward(
        Span<float> dInput, Span<float> dWeight, Span<float> dBias, ReadOnlySpan<float> dOutput,
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        int rows, int channels) =>
        Backward(dInput, dWeight, dBias, dOutput, input, weight, mean, rstd, rows, channels, Tier);

    /// <summary><see cref="Backward(Span{float}, Span{float}, Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int, int)"/> at an explicit tier.</summary>
    internal static void Backward(
        Span<float> dInput, Span<float> dWeight, Span<float> dBias, ReadOnlySpan<float> dOutput,
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        int rows, int channels, SimdTier tier)
    {
        Check(dInput, (long)rows * channels, nameof(dInput));
        Check(dWeight, channels, nameof(dWeight));
        Check(dBias, channels, nameof(dBias));
        Check(dOutput, (long)rows * channels, nameof(dOutput));
        Check(input, (long)rows * channels, nameof(input));
        Check(weight, channels, nameof(weight));
        Check(mean, rows, nameof(mean));
        Check(rstd, rows, nameof(rstd));
        fixed (float* pDx = dInput, pDw = dWeight, pDb = dBias, pDy = dOutput, pX = input, pW = weight, pMean = mean, pRstd = rstd)
        {
            float* dx = pDx, dw = pDw, db = pDb, dy = pDy, x = pX, w = pW, mu = pMean, rs = pRstd;
            int c = channels;
            int n = rows;

            // 1. Input gradient, row-parallel: each row needs two row reductions of dnorm = weight · dout.
            KernelParallel.For(rows, RowGrain, (start, end) =>
            {
                for (int r = start; r < end; r++)
                {
                    float* xr = x + (long)r * c, dyr = dy + (long)r * c, dxr = dx + (long)r * c;
                    switch (tier)
                    {
                        case SimdTier.Avx512: RowInputGradient<Lanes512, Vector512<float>>(dxr, dyr, xr, w, mu[r], rs[r], c); break;
                        case SimdTier.Avx2: RowInputGradient<Lanes256, Vector256<float>>(dxr, dyr, xr, w, mu[r], rs[r], c); break;
                        default: RowInputGradient<Lanes128, Vector128<float>>(dxr, dyr, xr, w, mu[r], rs[r], c); break;
                    }
                }
            });

            // 2. Weight and bias gradients, channel-parallel: each task sums its channels over all rows in order,
            //    so the reduction is deterministic without per-thread partials.
            KernelParallel.For(channels, ChannelGrain, (start, end) =>
            {
                switch (tier)
                {
                    case SimdTier.Avx512: ParameterGradient<Lanes512, Vector512<float>>(dw, db, dy, x, mu, rs, n, c, start, end); break;
                    case SimdTier.Avx2: ParameterGradient<Lanes256, Vector256<float>>(dw, db, dy, x, mu, rs, n, c, start, end); break;
                    default: ParameterGradient<Lanes128, Vector128<float>>(dw, db, dy, x, mu, rs, n, c, start, end); break;
                }
            });
        }
    }

    private static void ForwardRow<TLanes, TVector>(float* o, float* mu, float* rs, float* x, float* w, float* b, int r, int c)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        float* row = x + (long)r * c;
        float m = KernelSimd.Sum(new ReadOnlySpan<float>(row, c), TLanes.Tier) / c;
        // Two-pass variance, Σ (x − m)², stays accurate when |mean| ≫ std.
        float deviations = TLanes.Tier == SimdTier.Avx512 && c < Lanes512.Count
            ? SquaredDeviationSum<Lanes256, Vector256<float>>(row, c, m)
            : SquaredDeviationSum<TLanes, TVector>(row, c, m);
        float s = 1f / MathF.Sqrt(deviations / c + Epsilon);
        NormalizeRow<TLanes, TVector>(o + (long)r * c, row, c, m, s, w, b);
        mu[r] = m;
        rs[r] = s;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float SquaredDeviationSum<TLanes, TVector>(float* x, int n, float m)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        int i = 0;
        float sum = 0f;
        if (n >= TLanes.Count)
        {
            TVector vm = TLanes.Create(m);
            TVector acc = TLanes.Zero;
            for (; i <= n - TLanes.Count; i += TLanes.Count)
            {
                TVector d = TLanes.Subtract(TLanes.Load(x + i), vm);
                acc = TLanes.MultiplyAdd(d, d, acc);
            }
            sum = TLanes.Sum(acc);
        }
        for (; i < n; i++)
        {
            float d = x[i] - m;
            sum += d * d;
        }
        return sum;
    }

    private static void NormalizeRow<TLanes, TVector>(float* o, float* x, int n, float m, float s, float* w, float* b)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        int i = 0;
        TVector vm = TLanes.Create(m);
        TVector vs = TLanes.Create(s);
        for (; i <= n - TLanes.Count; i += TLanes.Count)
            TLanes.Store(TLanes.MultiplyAdd(TLanes.Multiply(TLanes.Subtract(TLanes.Load(x + i), vm), vs), TLanes.Load(w + i), TLanes.Load(b + i)), o + i);
        for (; i < n; i++) o[i] = (x[i] - m) * s * w[i] + b[i];
    }

    // dx += (dnorm − mean(dnorm) − norm · mean(dnorm · norm)) · rstd, with dnorm = weight · dout.
    private static void RowInputGradient<TLanes, TVector>(float* dx, float* dy, float* x, float* w, float m, float s, int c)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        float dnormSum, dnormNormSum;
        int i = 0;
        TVector vm = TLanes.Create(m);
        TVector vs = TLanes.Create(s);
        TVector acc1 = TLanes.Zero;
        TVector acc2 = TLanes.Zero;
        for (; i <= c - TLanes.Count; i += TLanes.Count)
        {
            TVector norm = TLanes.Multiply(TLanes.Subtract(TLanes.Load(x + i), vm), vs);
            TVector dnorm = TLanes.Multiply(TLanes.Load(w + i), TLanes.Load(dy + i));
            acc1 = TLanes.Add(acc1, dnorm);
            acc2 = TLanes.MultiplyAdd(dnorm, norm, acc2);
        }
        dnormSum = TLanes.Sum(acc1);
        dnormNormSum = TLanes.Sum(acc2);
        for (; i < c; i++)
        {
            float norm = (x[i] - m) * s;
            float dnorm = w[i] * dy[i];
            dnormSum += dnorm;
            dnormNormSum += dnorm * norm;
        }
        float dnormMean = dnormSum / c, dnormNormMean = dnormNormSum / c;
        i = 0;
        TVector va = TLanes.Create(dnormMean);
        TVector vb = TLanes.Create(dnormNormMean);
        for (; i <= c - TLanes.Count; i += TLanes.Count)
        {
            TVector norm = TLanes.Multiply(TLanes.Subtract(TLanes.Load(x + i), vm), vs);
            TVector dnorm = TLanes.Multiply(TLanes.Load(w + i), TLanes.Load(dy + i));
            TVector step = TLanes.Multiply(TLanes.Subtract(TLanes.Subtract(dnorm, va), TLanes.Multiply(norm, vb)), vs);
            TLanes.Store(TLanes.Add(TLanes.Load(dx + i), step), dx + i);
        }
        for (; i < c; i++)
        {
            float norm = (x[i] - m) * s;
            float dnorm = w[i] * dy[i];
            dx[i] += (dnorm - dnormMean - norm * dnormNormMean) * s;
        }
    }

    // dweight[i] += Σ_r norm[r, i] · dout[r, i] and dbias[i] += Σ_r dout[r, i] for channels [start, end), rows in
    // order; each block of channels keeps both sums in registers across all rows.
    private static void ParameterGradient<TLanes, TVector>(float* dw, float* db, float* dy, float* x, float* mean, float* rstd, int rows, int c, int start, int end)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        int i = start;
        for (; i <= end - TLanes.Count; i += TLanes.Count)
        {
            TVector sumW = TLanes.Zero;
            TVector sumB = TLanes.Zero;
            for (int r = 0; r < rows; r++)
            {
                long at = (long)r * c + i;
                TVector g = TLanes.Load(dy + at);
                TVector norm = TLanes.Multiply(TLanes.Subtract(TLanes.Load(x + at), TLanes.Create(mean[r])), TLanes.Create(rstd[r]));
                sumW = TLanes.MultiplyAdd(norm, g, sumW);
                sumB = TLanes.Add(sumB, g);
            }
            TLanes.Store(TLanes.Add(TLanes.Load(dw + i), sumW), dw + i);
            TLanes.Store(TLanes.Add(TLanes.Load(db + i), sumB), db + i);
        }
        for (; i < end; i++)
        {
            float sumW = 0f, sumB = 0f;
            for (int r = 0; r < rows; r++)
            {
                long at = (long)r * c + i;
                sumW += (x[at] - mean[r]) * rstd[r] * dy[at];
                sumB += dy[at];
            }
            dw[i] += sumW;
            db[i] += sumB;
        }
    }

    private static void Check(ReadOnlySpan<float> span, long required, string name)
    {
        if (span.Length < required) throw new ArgumentException($"{name} holds {span.Length} values; {required} are needed.", name);
    }
}
