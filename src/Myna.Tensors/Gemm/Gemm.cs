namespace Myna.Tensors;

/// <summary>
/// Single-precision matrix multiply <c>C (M, N) = op(A) · op(B) [+ bias] [+ C]</c> over row-major spans.
/// </summary>
public static class Gemm
{
    /// <summary>
    /// Computes <c>C = op(A) · op(B)</c>, adding the previous contents of C when <paramref name="accumulate"/> is set,
    /// and adding <paramref name="bias"/> (length N) to every row when it is not empty.
    /// </summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires, or a dimension is negative.</exception>
    public static void Multiply(
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c,
        int m, int n, int k, GemmLayout layout = GemmLayout.NN,
        bool accumulate = false, ReadOnlySpan<float> bias = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (a.Length < (long)m * k) throw new ArgumentException($"A holds {a.Length} values; ({m}, {k}) needs {(long)m * k}.", nameof(a));
        if (b.Length < (long)k * n) throw new ArgumentException($"B holds {b.Length} values; ({k}, {n}) needs {(long)k * n}.", nameof(b));
        if (c.Length < (long)m * n) throw new ArgumentException($"C holds {c.Length} values; ({m}, {n}) needs {(long)m * n}.", nameof(c));
        if (!bias.IsEmpty && bias.Length < n) throw new ArgumentException($"bias holds {bias.Length} values; N is {n}.", nameof(bias));

        // Interim straightforward implementation; the packed, register-blocked kernel replaces this body.
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                float sum = 0f;
                for (int p = 0; p < k; p++)
                {
                    float av = layout == GemmLayout.TN ? a[p * m + i] : a[i * k + p];
                    float bv = layout == GemmLayout.NT ? b[j * k + p] : b[p * n + j];
                    sum += av * bv;
                }
                if (!bias.IsEmpty) sum += bias[j];
                c[i * n + j] = accumulate ? c[i * n + j] + sum : sum;
            }
        }
    }
}
