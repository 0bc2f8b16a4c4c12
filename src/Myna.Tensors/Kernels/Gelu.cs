using System.Numerics;
using System.Runtime.Intrinsics;

namespace Myna.Tensors;

/// <summary>
/// GELU with the tanh approximation (GPT-2's "gelu_new"):
/// <c>gelu(x) = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))</c>, evaluated as <c>x · σ(2u)</c>, which is the same
/// function and needs one exp instead of a tanh.
/// </summary>
public static unsafe class Gelu
{
    private const float Cubic = 0.044715f;

    // √(2/π)
    private const float Scale = 0.7978845608028654f;

    // Elements per parallel task: large enough to amortise dispatch, small enough to spread (B, T, 4C) over cores.
    private const int Grain = 16 * 1024;

    /// <summary>
    /// <c>output[i] = gelu(input[i] + bias[i mod bias.Length])</c> over N elements; the bias is optional (empty: none),
    /// which fuses a linear layer's bias with its activation.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than N, or N is not a multiple of the bias length.</exception>
    public static void Forward(Span<float> output, ReadOnlySpan<float> input, int count, ReadOnlySpan<float> bias = default)
    {
        if (output.Length < count) throw new ArgumentException($"output holds {output.Length} values; {count} are needed.", nameof(output));
        if (input.Length < count) throw new ArgumentException($"input holds {input.Length} values; {count} are needed.", nameof(input));
        if (!bias.IsEmpty && count % bias.Length != 0)
            throw new ArgumentException($"count {count} is not a multiple of the bias length {bias.Length}.", nameof(bias));
        fixed (float* pOut = output, pIn = input, pBias = bias)
        {
            float* o = pOut, x = pIn, b = pBias;
            int width = bias.Length;
            if (width == 0)
            {
                KernelParallel.For(count, Grain, (start, end) => ForwardRange(o + start, x + start, null, end - start));
            }
            else
            {
                // Chunks of whole rows so the bias lines up with every chunk.
                int rowsPerChunk = Math.Max(1, Grain / width);
                KernelParallel.For(count / width, rowsPerChunk, (start, end) =>
                {
                    for (int r = start; r < end; r++) ForwardRange(o + (long)r * width, x + (long)r * width, b, width);
                });
            }
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward"/> without bias: <c>dInput[i] = gelu'(input[i]) · dOutput[i]</c> (assigned).
    /// <paramref name="dInput"/> may be the same span as <paramref name="dOutput"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than N.</exception>
    public static void Backward(Span<float> dInput, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int count)
    {
        if (dInput.Length < count) throw new ArgumentException($"dInput holds {dInput.Length} values; {count} are needed.", nameof(dInput));
        if (input.Length < count) throw new ArgumentException($"input holds {input.Length} values; {count} are needed.", nameof(input));
        if (dOutput.Length < count) throw new ArgumentException($"dOutput holds {dOutput.Length} values; {count} are needed.", nameof(dOutput));
        fixed (float* pDx = dInput, pX = input, pDy = dOutput)
        {
            float* dx = pDx, x = pX, dy = pDy;
            KernelParallel.For(count, Grain, (start, end) => BackwardRange(dx + start, x + start, dy + start, end - start));
        }
    }

    private static void ForwardRange(float* o, float* x, float* b, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var cubic = Vector512.Create(Cubic);
            var minusTwoScale = Vector512.Create(-2f * Scale);
            for (; i <= n - 16; i += 16)
            {
                var v = Vector512.Load(x + i);
                if (b != null) v += Vector512.Load(b + i);
                var u = v + cubic * v * v * v;
                (v / (Vector512<float>.One + Vector512.Exp(minusTwoScale * u))).Store(o + i);
            }
        }
        else if (Vector.IsHardwareAccelerated)
        {
            var cubic = new Vector<float>(Cubic);
            var minusTwoScale = new Vector<float>(-2f * Scale);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = Vector.Load(x + i);
                if (b != null) v += Vector.Load(b + i);
                var u = v + cubic * v * v * v;
                (v / (Vector<float>.One + Vector.Exp(minusTwoScale * u))).Store(o + i);
            }
        }
        for (; i < n; i++)
        {
            float v = b != null ? x[i] + b[i] : x[i];
            float u = Scale * (v + Cubic * v * v * v);
            o[i] = v / (1f + MathF.Exp(-2f * u));
        }
    }

    // d/dx [x·σ(2u)] = σ + x·2σ(1−σ)·u′, with u′ = √(2/π)·(1 + 3·0.044715·x²).
    private static void BackwardRange(float* dx, float* x, float* dy, int n)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var cubic = Vector512.Create(Cubic);
            var cubic3 = Vector512.Create(3f * Cubic);
            var scale = Vector512.Create(Scale);
            var minusTwoScale = Vector512.Create(-2f * Scale);
            var two = Vector512.Create(2f);
            var one = Vector512<float>.One;
            for (; i <= n - 16; i += 16)
            {
                var v = Vector512.Load(x + i);
                var v2 = v * v;
                var u = v + cubic * v2 * v;
                var sig = one / (one + Vector512.Exp(minusTwoScale * u));
                var du = scale * (one + cubic3 * v2);
                var grad = sig + v * two * sig * (one - sig) * du;
                (grad * Vector512.Load(dy + i)).Store(dx + i);
            }
        }
        else if (Vector.IsHardwareAccelerated)
        {
            var cubic = new Vector<float>(Cubic);
            var cubic3 = new Vector<float>(3f * Cubic);
            var scale = new Vector<float>(Scale);
            var minusTwoScale = new Vector<float>(-2f * Scale);
            var two = new Vector<float>(2f);
            var one = Vector<float>.One;
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = Vector.Load(x + i);
                var v2 = v * v;
                var u = v + cubic * v2 * v;
                var sig = one / (one + Vector.Exp(minusTwoScale * u));
                var du = scale * (one + cubic3 * v2);
                var grad = sig + v * two * sig * (one - sig) * du;
                (grad * Vector.Load(dy + i)).Store(dx + i);
            }
        }
        for (; i < n; i++)
        {
            float v = x[i];
            float u = Scale * (v + Cubic * v * v * v);
            float sig = 1f / (1f + MathF.Exp(-2f * u));
            float du = Scale * (1f + 3f * Cubic * v * v);
            dx[i] = (sig + v * 2f * sig * (1f - sig) * du) * dy[i];
        }
    }
}
