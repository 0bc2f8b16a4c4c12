using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class GemmDeterminismTests
{
    [Theory]
    [InlineData(1, GemmLayout.NN)]
    [InlineData(2, GemmLayout.NN)]
    [InlineData(2, GemmLayout.NT)]
    [InlineData(2, GemmLayout.TN)]
    [InlineData(3, GemmLayout.NT)]
    public void SameInputAndThreadCountGiveIdenticalBits(int threads, GemmLayout layout)
    {
        const int M = 131, N = 517, K = 601;
        float[] a = GemmReference.Random(M * K, 1);
        float[] b = GemmReference.Random(K * N, 2);
        float[] bias = GemmReference.Random(N, 3);
        using var pool = new ComputePool(threads);
        var first = new float[M * N];
        var second = new float[M * N];

        Gemm.Multiply(a, b, first, M, N, K, layout, accumulate: false, bias, pool);
        Gemm.Multiply(a, b, second, M, N, K, layout, accumulate: false, bias, pool);

        Assert.Equal(BitsOf(first), BitsOf(second));
    }

    [Fact]
    public void DirectPathIsDeterministicToo()
    {
        const int M = 1, N = 5000, K = 768;
        float[] a = GemmReference.Random(M * K, 4);
        float[] b = GemmReference.Random(K * N, 5);
        using var pool = new ComputePool(2);
        var first = new float[N];
        var second = new float[N];

        Gemm.Multiply(a, b, first, M, N, K, GemmLayout.NT, accumulate: false, default, pool);
        Gemm.Multiply(a, b, second, M, N, K, GemmLayout.NT, accumulate: false, default, pool);

        Assert.Equal(BitsOf(first), BitsOf(second));
    }

    [Theory]
    [InlineData(131, 517, 601, GemmLayout.NN)]
    [InlineData(131, 517, 601, GemmLayout.NT)]
    [InlineData(3, 1000, 300, GemmLayout.TN)]
    public void ThreadCountDoesNotChangeBitsEither(int m, int n, int k, GemmLayout layout)
    {
        // Stronger than required: tiles sit on one global grid and each is computed the same way whichever thread
        // owns it, so 1, 2 and 3 threads agree bit for bit.
        float[] a = GemmReference.Random(m * k, 6);
        float[] b = GemmReference.Random(k * n, 7);
        int[]? expected = null;
        foreach (int threads in new[] { 1, 2, 3 })
        {
            using var pool = new ComputePool(threads);
            var c = new float[m * n];
            Gemm.Multiply(a, b, c, m, n, k, layout, accumulate: false, default, pool);
            expected ??= BitsOf(c);
            Assert.Equal(expected, BitsOf(c));
        }
    }

    private static int[] BitsOf(float[] values) => Array.ConvertAll(values, BitConverter.SingleToInt32Bits);
}
