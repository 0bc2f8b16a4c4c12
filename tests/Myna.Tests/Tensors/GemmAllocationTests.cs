using Myna.Tensors;

namespace Myna.Tests.Tensors;

/// <summary>Once warm, a GEMM call allocates nothing on the calling thread: pack buffers and task objects are pooled.</summary>
public class GemmAllocationTests
{
    [Theory]
    [InlineData(1, 96, 200, 130, GemmLayout.NN)]
    [InlineData(2, 96, 400, 130, GemmLayout.NT)]
    [InlineData(2, 2, 30000, 64, GemmLayout.NN)]
    [InlineData(1, 16, 16, 16, GemmLayout.TN)]
    public void WarmCallsAllocateNothing(int threads, int m, int n, int k, GemmLayout layout)
    {
        float[] a = GemmReference.Random(m * k, 1);
        float[] b = GemmReference.Random(k * n, 2);
        float[] bias = GemmReference.Random(n, 3);
        var c = new float[m * n];
        using var pool = new ComputePool(threads);
        for (int warm = 0; warm < 3; warm++) Gemm.Multiply(a, b, c, m, n, k, layout, accumulate: true, bias, pool);

        // The runtime itself may allocate once in a while on this thread (tiered JIT promoting a method, for one), so
        // the claim is that some window of ten warm calls allocates nothing, not that every window does.
        long fewest = long.MaxValue;
        for (int window = 0; window < 5 && fewest > 0; window++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int call = 0; call < 10; call++) Gemm.Multiply(a, b, c, m, n, k, layout, accumulate: true, bias, pool);
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }
}
