using Myna.Tensors.Memory;
using Myna.Tensors.Quantized;

namespace Myna.Tests.Tensors.Memory;

public class HugePageBufferTests
{
    [Fact]
    public unsafe void ALargeBufferStartsOnAHugePageAndHoldsItsValues()
    {
        int length = (int)(HugePages.Bytes / sizeof(float)) + 1000; // one huge page and a bit
        var values = Enumerable.Range(0, length).Select(i => i * 0.5f).ToArray();
        var buffer = HugePageBuffer<float>.From(values);
        Assert.Equal(0ul, (ulong)buffer.Pointer % HugePages.Bytes);
        Assert.Equal(length, buffer.Length);
        Assert.Equal(values, buffer.Span.ToArray());
    }

    [Fact]
    public unsafe void ASmallBufferIsNotAdvisedAndStillAligned()
    {
        var buffer = new HugePageBuffer<ushort>(100);
        Assert.False(buffer.HugePagesAdvised);
        Assert.Equal(0ul, (ulong)buffer.Pointer % 64);
        buffer.Span.Fill(7);
        Assert.All(buffer.Span.ToArray(), v => Assert.Equal(7, v));
        Assert.Empty(new HugePageBuffer<float>(0).Span.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HugePageBuffer<float>(-1));
        GC.Collect(); // the refused buffer's finalizer runs and has nothing to free
        GC.WaitForPendingFinalizers();
    }

    [Fact]
    public void TheAdviceIsTakenWhereLinuxOffersTransparentHugePages()
    {
        var buffer = new HugePageBuffer<sbyte>((int)HugePages.Bytes * 2);
        Assert.Equal(Offered(), buffer.HugePagesAdvised);
    }

    [Theory]
    [InlineData(WeightFormat.F32)]
    [InlineData(WeightFormat.F16)]
    [InlineData(WeightFormat.Q8)]
    public void AQuantizedMatrixSaysWhetherItsValuesAreOnHugePages(WeightFormat format)
    {
        // 2048 × 1024 values: 8, 4 or 2 MiB, each at least a huge page; 16 × 16 fits none.
        Assert.Equal(Offered(), QuantizedMatrix.FromRows(new float[2048 * 1024], 2048, 1024, format).OnHugePages);
        Assert.False(QuantizedMatrix.FromRows(new float[16 * 16], 16, 16, format).OnHugePages);
    }

    private static bool Offered()
    {
        const string setting = "/sys/kernel/mm/transparent_hugepage/enabled";
        return OperatingSystem.IsLinux() && File.Exists(setting) && !File.ReadAllText(setting).Contains("[never]", StringComparison.Ordinal)
            && Environment.GetEnvironmentVariable("MYNA_HUGE_PAGES") != "0";
    }
}
