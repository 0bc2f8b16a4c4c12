namespace Myna.Tensors;

/// <summary>
/// Element-wise residual connection <c>out = a + b</c> over N elements, at the process's <see cref="SimdTier"/> (the
/// internal overloads take one explicitly, for tests).
/// </summary>
public static unsafe class Residual
{
    // Elements per parallel task.
    private const int Grain = 32 * 1024;

    private static readonly SimdTier Tier = SimdTiers.Current;

    /// <summary><c>output[i] = a[i] + b[i]</c>. The output may be the same span as either input.</summary>
    /// <exception cref="ArgumentException">A span is shorter than N.</exception>
    public static void Forward(Span<float> output, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int count) => Forward(output, a, b, count, Tier);

    /// <summary><see cref="Forward(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int)"/> at an explicit tier.</summary>
    internal static void Forward(Span<float> output, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int count, SimdTier tier)
    {
        Check(output, count, nameof(output));
        Check(a, count, nameof(a));
        Check(b, count, nameof(b));
        fixed (float* pOut = output, pA = a, pB = b)
        {
            float* o = pOut, x = pA, y = pB;
            KernelParallel.For(count, Grain, (start, end) =>
            {
                var dst = new Span<float>(o + start, end - start);
                if (o == y)
                {
                    // The output is b: add a onto it (copying a first would overwrite b).
                    KernelSimd.Add(new ReadOnlySpan<float>(x + start, end - start), dst, tier);
                    return;
                }
                if (o != x) new ReadOnlySpan<float>(x + start, end - start).CopyTo(dst);
                KernelSimd.Add(new ReadOnlySpan<float>(y + start, end - start), dst, tier);
            });
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, int)"/>: both input
    /// gradients ACCUMULATE (+=) <paramref name="dOutput"/>, because a residual stream's gradient is the sum of its skip
    /// path and its branch.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than N.</exception>
    public static void Backward(Span<float> dA, Span<float> dB, ReadOnlySpan<float> dOutput, int count) => Backward(dA, dB, dOutput, count, Tier);

    /// <summary><see cref="Backward(Span{float}, Span{float}, ReadOnlySpan{float}, int)"/> at an explicit tier.</summary>
    internal static void Backward(Span<float> dA, Span<float> dB, ReadOnlySpan<float> dOutput, int count, SimdTier tier)
    {
        Check(dA, count, nameof(dA));
        Check(dB, count, nameof(dB));
        Check(dOutput, count, nameof(dOutput));
        fixed (float* pDa = dA, pDb = dB, pDy = dOutput)
        {
            float* da = pDa, db = pDb, dy = pDy;
            KernelParallel.For(count, Grain, (start, end) =>
            {
                var g = new ReadOnlySpan<float>(dy + start, end - start);
                KernelSimd.Add(g, new Span<float>(da + start, end - start), tier);
                KernelSimd.Add(g, new Span<float>(db + start, end - start), tier);
            });
        }
    }

    private static void Check(ReadOnlySpan<float> span, long required, string name)
    {
        if (span.Length < required) throw new ArgumentException($"{name} holds {span.Length} values; {required} are needed.", name);
    }
}
