using System.Numerics;
using System.Runtime.Intrinsics;

namespace Myna.Tensors;

/// <summary>
/// Layer normalisation over the last dimension: <c>out = (x − mean) · rstd · weight + bias</c>, row by row.
/// N rows (any leading dimensions flattened), C channels.
/// </summary>
public static unsafe class LayerNorm
{
    /// <summary>Added to the variance before the square root (GPT-2's value).</summary>
    public const float Epsilon = 1e-5f;

    // Rows per parallel task: a few rows amortise the dispatch, and the split never depends on the thread count.
    private const int RowGrain = 8;

    // Channels per parallel task in the weight/bias gradient pass.
    private const int ChannelGrain = 64;

    /// <summary>
    /// Normalises each row of <paramref name="input"/> (N, C) into <paramref name="output"/> (N, C) and saves the row
    /// <paramref name="mean"/> (N) and reciprocal standard deviation <paramref name="rstd"/> (N) for the backward pass.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires.</exception>
    public static void Forward(
        Span<float> output, Span<float> mean, Span<float> rstd,
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int rows, int channels)
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
                var wSpan = new ReadOnlySpan<float>(w, c);
                var bSpan = new ReadOnlySpan<float>(b, c);
                for (int r = start; r < end; r++)
                {
                    var row = new ReadOnlySpan<float>(x + (long)r * c, c);
                    var outRow = new Span<float>(o + (long)r * c, c);
                    float m = KernelSimd.Sum(row) / c;
                    // Two-pass variance, Σ (x − m)², stays accurate when |mean| ≫ std.
                    float variance = SquaredDeviationSum(row, m) / c;
                    float s = 1f / MathF.Sqrt(variance + Epsilon);
                    NormalizeRow(outRow, row, m, s, wSpan, bSpan);
                    mu[r] = m;
                    rs[r] = s;
                }
            });
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward"/>. <paramref name="dInput"/> (N, C) ACCUMULATES (+=): in a pre-LN transformer it
    /// is the residual stream's gradient, which already holds the gradient of the skip path. <paramref name="dWeight"/>
    /// and <paramref name="dBias"/> (C) accumulate as every parameter gradient does.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires.</exception>
    public static void Backward(
        Span<float> dInput, Span<float> dWeight, Span<float> dBias, ReadOnlySpan<float> dOutput,
        ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd,
        int rows, int channels)
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
                    RowInputGradient(dxr, dyr, xr, w, mu[r], rs[r], c);
                }
            });

            // 2. Weight and bias gradients, channel-parallel: each task sums its channels over all rows in order,
            //    so the reduction is deterministic without per-thread partials.
            KernelParallel.For(channels, ChannelGrain, (start, end) => ParameterGradient(dw, db, dy, x, mu, rs, n, c, start, end));
        }
    }

    private static float SquaredDeviationSum(ReadOnlySpan<float> row, float m)
    {
        int i = 0;
        float sum = 0f;
        fixed (float* x = row)
        {
            if (Vector512.IsHardwareAccelerated && row.Length >= 16)
            {
                var vm = Vector512.Create(m);
                var acc = Vector512<float>.Zero;
                for (; i <= row.Length - 16; i += 16)
                {
                    var d = Vector512.Load(x + i) - vm;
                    acc = Vector512.FusedMultiplyAdd(d, d, acc);
                }
                sum = Vector512.Sum(acc);
            }
            else if (Vector.IsHardwareAccelerated && row.Length >= Vector<float>.Count)
            {
                var vm = new Vector<float>(m);
                var acc = Vector<float>.Zero;
                for (; i <= row.Length - Vector<float>.Count; i += Vector<float>.Count)
                {
                    var d = Vector.Load(x + i) - vm;
                    acc = Vector.FusedMultiplyAdd(d, d, acc);
                }
                sum = Vector.Sum(acc);
            }
            for (; i < row.Length; i++)
            {
                float d = x[i] - m;
                sum += d * d;
            }
        }
        return sum;
    }

    private static void NormalizeRow(Span<float> output, ReadOnlySpan<float> row, float m, float s, ReadOnlySpan<float> weight, ReadOnlySpan<float> bias)
    {
        int i = 0;
        fixed (float* o = output, x = row, w = weight, b = bias)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                var vm = Vector512.Create(m);
                var vs = Vector512.Create(s);
                for (; i <= row.Length - 16; i += 16)
                    Vector512.FusedMultiplyAdd((Vector512.Load(x + i) - vm) * vs, Vector512.Load(w + i), Vector512.Load(b + i)).Store(o + i);
            }
            else if (Vector.IsHardwareAccelerated)
            {
                var vm = new Vector<float>(m);
                var vs = new Vector<float>(s);
                for (; i <= row.Length - Vector<float>.Count; i += Vector<float>.Count)
                    Vector.FusedMultiplyAdd((Vector.Load(x + i) - vm) * vs, Vector.Load(w + i), Vector.Load(b + i)).Store(o + i);
            }
            for (; i < row.Length; i++) o[i] = (x[i] - m) * s * w[i] + b[i];
        }
    }

    // dx += (dnorm − mean(dnorm) − norm · mean(dnorm · norm)) · rstd, with dnorm = weight · dout.
    private static void RowInputGradient(float* dx, float* dy, float* x, float* w, float m, float s, int c)
    {
        float dnormSum = 0f, dnormNormSum = 0f;
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vm = Vector512.Create(m);
            var vs = Vector512.Create(s);
            var acc1 = Vector512<float>.Zero;
            var acc2 = Vector512<float>.Zero;
            for (; i <= c - 16; i += 16)
            {
                var norm = (Vector512.Load(x + i) - vm) * vs;
                var dnorm = Vector512.Load(w + i) * Vector512.Load(dy + i);
                acc1 += dnorm;
                acc2 = Vector512.FusedMultiplyAdd(dnorm, norm, acc2);
            }
            dnormSum = Vector512.Sum(acc1);
            dnormNormSum = Vector512.Sum(acc2);
        }
        else if (Vector.IsHardwareAccelerated)
        {
            var vm = new Vector<float>(m);
            var vs = new Vector<float>(s);
            var acc1 = Vector<float>.Zero;
            var acc2 = Vector<float>.Zero;
            for (; i <= c - Vector<float>.Count; i += Vector<float>.Count)
            {
                var norm = (Vector.Load(x + i) - vm) * vs;
                var dnorm = Vector.Load(w + i) * Vector.Load(dy + i);
                acc1 += dnorm;
                acc2 = Vector.FusedMultiplyAdd(dnorm, norm, acc2);
            }
            dnormSum = Vector.Sum(acc1);
            dnormNormSum = Vector.Sum(acc2);
        }
        for (; i < c; i++)
        {
            float norm = (x[i] - m) * s;
            float dnorm = w[i] * dy[i];
            dnormSum += dnorm;
            dnormNormSum += dnorm * norm;
        }
        float dnormMean = dnormSum / c, dnormNormMean = dnormNormSum / c;
        i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var vm = Vector512.Create(m);
            var vs = Vector512.Create(s);
            var va = Vector512.Create(dnormMean);
            var vb = Vector512.Create(dnormNormMean);
            for (; i <= c - 16; i += 16)
            {
                var norm = (Vector512.Load(x + i) - vm) * vs;
                var dnorm = Vector512.Load(w + i) * Vector512.Load(dy + i);
                (Vector512.Load(dx + i) + (dnorm - va - norm * vb) * vs).Store(dx + i);
            }
        }
        else if (Vector.IsHardwareAccelerated)
        {
            var vm = new Vector<float>(m);
            var vs = new Vector<float>(s);
            var va = new Vector<float>(dnormMean);
            var vb = new Vector<float>(dnormNormMean);
            for (; i <= c - Vector<float>.Count; i += Vector<float>.Count)
            {
                var norm = (Vector.Load(x + i) - vm) * vs;
                var dnorm = Vector.Load(w + i) * Vector.Load(dy + i);
                (Vector.Load(dx + i) + (dnorm - va - norm * vb) * vs).Store(dx + i);
            }
        }
        for (; i < c; i++)
        {
            float norm = (x[i] - m) * s;
            float dnorm = w[i] * dy[i];
            dx[i] += (dnorm - dnormMean - norm * dnormNormMean) * s;
        }
    }

    // dweight[i] += Σ_r norm[r, i] · dout[r, i] and dbias[i] += Σ_r dout[r, i] for channels [start, end), rows in
    // order; each 16-channel block keeps both sums in registers across all rows.
    private static void ParameterGradient(float* dw, float* db, float* dy, float* x, float* mean, float* rstd, int rows, int c, int start, int end)
    {
        int i = start;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= end - 16; i += 16)
            {
                var sumW = Vector512<float>.Zero;
                var sumB = Vector512<float>.Zero;
                for (int r = 0; r < rows; r++)
                {
                    long at = (long)r * c + i;
                    var g = Vector512.Load(dy + at);
                    var norm = (Vector512.Load(x + at) - Vector512.Create(mean[r])) * Vector512.Create(rstd[r]);
                    sumW = Vector512.FusedMultiplyAdd(norm, g, sumW);
                    sumB += g;
                }
                (Vector512.Load(dw + i) + sumW).Store(dw + i);
                (Vector512.Load(db + i) + sumB).Store(db + i);
            }
        }
        else if (Vector.IsHardwareAccelerated)
        {
            for (; i <= end - Vector<float>.Count; i += Vector<float>.Count)
            {
                var sumW = Vector<float>.Zero;
                var sumB = Vector<float>.Zero;
                for (int r = 0; r < rows; r++)
                {
                    long at = (long)r * c + i;
                    var g = Vector.Load(dy + at);
                    var norm = (Vector.Load(x + at) - new Vector<float>(mean[r])) * new Vector<float>(rstd[r]);
                    sumW = Vector.FusedMultiplyAdd(norm, g, sumW);
                    sumB += g;
                }
                (Vector.Load(dw + i) + sumW).Store(dw + i);
                (Vector.Load(db + i) + sumB).Store(db + i);
            }
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
