using FsCheck.Xunit;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class ColumnSumTests
{
    [Property(MaxTest = 20)]
    public void AccumulatesColumnSums(int seed)
    {
        var rng = new Random(seed);
        int rows = rng.Next(1, 20), columns = rng.Next(1, 600);
        float[] m = KernelTestData.Floats(rng, rows * columns), sums = KernelTestData.Floats(rng, columns);
        double[] expected = KernelTestData.ToDouble(sums);
        for (int i = 0; i < rows; i++)
        for (int j = 0; j < columns; j++) expected[j] += m[i * columns + j];
        ColumnSum.Accumulate(sums, m, rows, columns);
        KernelTestData.AssertClose(expected, sums, 1e-5, 1e-5, "sums");
    }
}
