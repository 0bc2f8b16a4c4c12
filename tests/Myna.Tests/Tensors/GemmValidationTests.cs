using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class GemmValidationTests
{
    [Theory]
    [InlineData(-1, 2, 2)]
    [InlineData(2, -1, 2)]
    [InlineData(2, 2, -1)]
    public void NegativeDimensionThrows(int m, int n, int k)
    {
        var buffer = new float[16];
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(buffer, buffer, buffer, m, n, k));
    }

    [Fact]
    public void ShortASpanNamesA()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[5], new float[6], new float[4], 2, 2, 3));
        Assert.Equal("a", ex.ParamName);
    }

    [Fact]
    public void ShortBSpanNamesB()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[6], new float[5], new float[4], 2, 2, 3));
        Assert.Equal("b", ex.ParamName);
    }

    [Fact]
    public void ShortCSpanNamesC()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[6], new float[6], new float[3], 2, 2, 3));
        Assert.Equal("c", ex.ParamName);
    }

    [Fact]
    public void ShortBiasNamesBias()
    {
        var ex = Assert.Throws<ArgumentException>(
            () => Gemm.Multiply(new float[6], new float[6], new float[4], 2, 2, 3, bias: new float[1]));
        Assert.Equal("bias", ex.ParamName);
    }

    [Fact]
    public void UnknownLayoutThrows()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => Gemm.Multiply(new float[6], new float[6], new float[4], 2, 2, 3, (GemmLayout)7));
    }

    [Fact]
    public void NullPoolThrows()
    {
        Assert.Throws<ArgumentNullException>(
            () => Gemm.Multiply(new float[6], new float[6], new float[4], 2, 2, 3, GemmLayout.NN, false, default, null!));
    }

    [Fact]
    public void EmptyProductIsANoOp()
    {
        var c = new float[] { 1, 2 };
        Gemm.Multiply([], new float[10], c, 0, 2, 5);
        Assert.Equal([1f, 2f], c);
    }
}
