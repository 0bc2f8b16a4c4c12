namespace Myna.Evaluation.Significance;

/// <summary>NumPy's float64 <c>mean</c> of a contiguous array: pairwise summation (<c>pairwise_sum_DOUBLE</c>: blocks
/// of at most 128 added with eight running sums, halves split at multiples of eight), then one division.</summary>
internal static class NumpyReductions
{
    private const int BlockSize = 128; // PW_BLOCKSIZE
    private const int Unroll = 8;

    /// <summary><c>np.mean(values)</c>.</summary>
    public static double Mean(ReadOnlySpan<double> values) => PairwiseSum(values) / values.Length;

    /// <summary><c>np.sum(values)</c> of a contiguous float64 array.</summary>
    public static double PairwiseSum(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < Unroll)
        {
            double res = 0.0;
            for (int i = 0; i < n; i++) res += a[i];
            return res;
        }
        if (n <= BlockSize)
        {
            Span<double> r = stackalloc double[Unroll];
            a[..Unroll].CopyTo(r);
            int i = Unroll;
            for (; i < n - (n % Unroll); i += Unroll)
            {
                for (int j = 0; j < Unroll; j++) r[j] += a[i + j];
            }
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) res += a[i];
            return res;
        }
        int half = n / 2;
        half -= half % Unroll;
        return PairwiseSum(a[..half]) + PairwiseSum(a[half..]);
    }
}
