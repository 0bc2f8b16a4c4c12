using System.Runtime.Intrinsics;

namespace Myna.Tensors;

/// <summary>
/// GELU with the tanh approximation (GPT-2's "gelu_new"):
/// <c>gelu(x) = 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))</c>, evaluated as <c>x · σ(2u)</c>, which is the same
/// function and needs one exp instead of a tanh.
/// </summary>
/// <remarks>
/// Runs at the process's <see cref="SimdTier"/> (the internal overloads take one explicitly, for tests), one generic
/// body over <see cref="ISimdLanes{TVector}"/> per pass.
/// </remarks>
public static unsafe class Gelu
{
    private const float Cubic = 0.044715f;

    // √(2/π)
    private const float Scale = 0.7978845608028654f;

    // Elements per parallel task: large enough to amortise dispatch, small enough to spread (B, T, 4C) over cores.
    private const int Grain = 16 * 1024;

    private static readonly SimdTier Tier = SimdTiers.Current;

    /// <summary>
    /// <c>output[i] = gelu(input[i] + bias[i mod bias.Length])</c> over N elements; the bias is optional (empty: none),
    /// which fuses a linear layer's bias with its activation.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than N, or N is not a multiple of the bias length.</exception>
    public static void Forward(Span<float> output, ReadOnlySpan<float> input, int count, ReadOnlySpan<float> bias = default) =>
        Forward(output, input, count, bias, Tier);

    /// <summary><see cref="Forward(Span{float}, ReadOnlySpan{float}, int, ReadOnlySpan{float})"/> at an explicit tier and pool.</summary>
    internal static void Forward(Span<float> output, ReadOnlySpan<float> input, int count, ReadOnlySpan<float> bias, SimdTier tier, ComputePool? pool = null)
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
                KernelParallel.For(count, Grain, (start, end) => ForwardRange(o + start, x + start, null, end - start, tier), pool);
            }
            else
            {
                // Chunks of whole rows so the bias lines up with every chunk.
                int rowsPerChunk = Math.Max(1, Grain / width);
                KernelParallel.For(count / width, rowsPerChunk, (start, end) =>
                {
                    for (int r = start; r < end; r++) ForwardRange(o + (long)r * width, x + (long)r * width, b, width, tier);
                }, pool);
            }
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward(Span{float}, ReadOnlySpan{float}, int, ReadOnlySpan{float})"/> without bias:
    /// <c>dInput[i] = gelu'(input[i]) · dOutput[i]</c> (assigned). <paramref name="dInput"/> may be the same span as
    /// <paramref name="dOutput"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than N.</exception>
    public static void Backward(Span<float> dInput, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int count) =>
        Backward(dInput, input, dOutput, count, Tier);

    /// <summary><see cref="Backward(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int)"/> at an explicit tier.</summary>
    internal static void Backward(Span<float> dInput, ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, int count, SimdTier tier)
    {
        if (dInput.Length < count) throw new ArgumentException($"dInput holds {dInput.Length} values; {count} are needed.", nameof(dInput));
        if (input.Length < count) throw new ArgumentException($"input holds {input.Length} values; {count} are needed.", nameof(input));
        if (dOutput.Length < count) throw new ArgumentException($"dOutput holds {dOutput.Length} values; {count} are needed.", nameof(dOutput));
        fixed (float* pDx = dInput, pX = input, pDy = dOutput)
        {
            float* dx = pDx, x = pX, dy = pDy;
            KernelParallel.For(count, Grain, (start, end) => BackwardRange(dx + start, x + start, dy + start, end - start, tier));
        }
    }

    private static void ForwardRange(float* o, float* x, float* b, int n, SimdTier tier)
    {
        switch (tier)
        {
            case SimdTier.Avx512: ForwardRange<Lanes512, Vector512<float>>(o, x, b, n); break;
            case SimdTier.Avx2: ForwardRange<Lanes256, Vector256<float>>(o, x, b, n); break;
            default: ForwardRange<Lanes128, Vector128<float>>(o, x, b, n); break;
        }
    }

    private static void ForwardRange<TLanes, TVector>(float* o, float* x, float* b, int n)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        int i = 0;
        TVector cubic = TLanes.Create(Cubic);
        TVector minusTwoScale = TLanes.Create(-2f * Scale);
        TVector one = TLanes.Create(1f);
        for (; i <= n - TLanes.Count; i += TLanes.Count)
        {
            TVector v = TLanes.Load(x + i);
            if (b != null) v = TLanes.Add(v, TLanes.Load(b + i));
            TVector u = TLanes.Add(v, TLanes.Multiply(TLanes.Multiply(TLanes.Multiply(cubic, v), v), v));
            TLanes.Store(TLanes.Divide(v, TLanes.Add(one, TLanes.Exp(TLanes.Multiply(minusTwoScale, u)))), o + i);
        }
        for (; i < n; i++)
        {
            float v = b != null ? x[i] + b[i] : x[i];
            float u = Scale * (v + Cubic * v * v * v);
            o[i] = v / (1f + MathF.Exp(-2f * u));
        }
    }

    private static void BackwardRange(float* dx, float* x, float* dy, int n, SimdTier tier)
    {
        switch (tier)
        {
            case SimdTier.Avx512: BackwardRange<Lanes512, Vector512<float>>(dx, x, dy, n); break;
            case SimdTier.Avx2: BackwardRange<Lanes256, Vector256<float>>(dx, x, dy, n); break;
            default: BackwardRange<Lanes128, Vector128<float>>(dx, x, dy, n); break;
        }
    }

    // d/dx [x·σ(2u)] = σ + x·2σ(1−σ)·u′, with u′ = √(2/π)·(1 + 3·0.044715·x²).
    private static void BackwardRange<TLanes, TVector>(float* dx, float* x, float* dy, int n)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        int i = 0;
        TVector cubic = TLanes.Create(Cubic);
        TVector cubic3 = TLanes.Create(3f * Cubic);
        TVector scale = TLanes.Create(Scale);
        TVector minusTwoScale = TLanes.Create(-2f * Scale);
        TVector two = TLanes.Create(2f);
        TVector one = TLanes.Create(1f);
        for (; i <= n - TLanes.Count; i += TLanes.Count)
        {
            TVector v = TLanes.Load(x + i);
            TVector v2 = TLanes.Multiply(v, v);
            TVector u = TLanes.Add(v, TLanes.Multiply(TLanes.Multiply(cubic, v2), v));
            TVector sig = TLanes.Divide(one, TLanes.Add(one, TLanes.Exp(TLanes.Multiply(minusTwoScale, u))));
            TVector du = TLanes.Multiply(scale, TLanes.Add(one, TLanes.Multiply(cubic3, v2)));
            TVector grad = TLanes.Add(sig, TLanes.Multiply(TLanes.Multiply(TLanes.Multiply(TLanes.Multiply(v, two), sig), TLanes.Subtract(one, sig)), du));
            TLanes.Store(TLanes.Multiply(grad, TLanes.Load(dy + i)), dx + i);
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
