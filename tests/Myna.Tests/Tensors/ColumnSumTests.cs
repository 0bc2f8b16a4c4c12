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
        float[] m = TestData.Floats(rng, rows * columns), sums = TestData.Floats(rng, columns);
        double[] expected = TestData.ToDouble(sums);
        for (int i = 0; i < rows; i++)
        for (int j = 0; j < columns; j++) expected[j] += m[i * columns + j];
        ColumnSum.Accumulate(sums, m, rows, columns);
        TestData.AssertClose(expected, sums, 1e-5, 1e-5, "sums");
    }
}
