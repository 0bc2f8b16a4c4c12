namespace Myna.Tensors;

/// <summary>Element-wise residual connection <c>out = a + b</c> over N elements.</summary>
public static unsafe class Residual
{
    // Elements per parallel task.
    private const int Grain = 32 * 1024;

    /// <summary><c>output[i] = a[i] + b[i]</c>. The output may be the same span as either input.</summary>
    /// <exception cref="ArgumentException">A span is shorter than N.</exception>
    public static void Forward(Span<float> output, ReadOnlySpan<float> a, ReadOnlySpan<float> b, int count)
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
                if (o != x) new ReadOnlySpan<float>(x + start, end - start).CopyTo(dst);
                KernelSimd.Add(new ReadOnlySpan<float>(y + start, end - start), dst);
            });
        }
    }

    /// <summary>
    /// Backward of <see cref="Forward"/>: both input gradients ACCUMULATE (+=) <paramref name="dOutput"/>, because a
    /// residual stream's gradient is the sum of its skip path and its branch.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than N.</exception>
    public static void Backward(Span<float> dA, Span<float> dB, ReadOnlySpan<float> dOutput, int count)
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
                KernelSimd.Add(g, new Span<float>(da + start, end - start));
                KernelSimd.Add(g, new Span<float>(db + start, end - start));
            });
        }
    }

    private static void Check(ReadOnlySpan<float> span, long required, string name)
    {
        if (span.Length < required) throw new ArgumentException($"{name} holds {span.Length} values; {required} are needed.", name);
    }
}
