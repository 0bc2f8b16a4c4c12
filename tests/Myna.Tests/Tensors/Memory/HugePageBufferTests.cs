using Myna.Tensors.Memory;

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
        const string setting = "/sys/kernel/mm/transparent_hugepage/enabled";
        bool offered = OperatingSystem.IsLinux() && File.Exists(setting) && !File.ReadAllText(setting).Contains("[never]", StringComparison.Ordinal)
            && Environment.GetEnvironmentVariable("MYNA_HUGE_PAGES") != "0";
        var buffer = new HugePageBuffer<sbyte>((int)HugePages.Bytes * 2);
        Assert.Equal(offered, buffer.HugePagesAdvised);
    }
}
