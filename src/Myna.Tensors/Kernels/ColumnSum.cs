namespace Myna.Tensors;

/// <summary>Column sums of a row-major (M, N) matrix: the gradient of a bias added to every row.</summary>
public static unsafe class ColumnSum
{
    // Columns per parallel task: each task walks all rows in order, so sums are deterministic.
    private const int ColumnGrain = 256;

    /// <summary><c>sums[j] += Σ_i matrix[i, j]</c> for j in [0, N).</summary>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires.</exception>
    public static void Accumulate(Span<float> sums, ReadOnlySpan<float> matrix, int rows, int columns)
    {
        if (sums.Length < columns) throw new ArgumentException($"sums holds {sums.Length} values; N = {columns}.", nameof(sums));
        if (matrix.Length < (long)rows * columns)
            throw new ArgumentException($"matrix holds {matrix.Length} values; ({rows}, {columns}) needs {(long)rows * columns}.", nameof(matrix));
        fixed (float* pSums = sums, pM = matrix)
        {
            float* s = pSums, m = pM;
            int n = columns, r = rows;
            KernelParallel.For(columns, ColumnGrain, (start, end) =>
            {
                var dst = new Span<float>(s + start, end - start);
                for (int i = 0; i < r; i++) KernelSimd.Add(new ReadOnlySpan<float>(m + (long)i * n + start, end - start), dst);
            });
        }
    }
}
