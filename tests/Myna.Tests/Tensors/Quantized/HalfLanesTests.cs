using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Myna.Tensors.Quantized;

namespace Myna.Tests.Tensors.Quantized;

/// <summary>
/// <see cref="HalfLanes"/>: the loads that never make a subnormal float give every finite half's exact value at each
/// tier this CPU runs, zeros and subnormal halves included, and agree with the in-place trick times 2^112.
/// </summary>
public sealed unsafe class HalfLanesTests
{
    /// <summary>Every finite half bit pattern (both signs), 16 at a time.</summary>
    private static short[] FiniteHalves() =>
        [.. Enumerable.Range(0, 65536).Select(b => (short)b).Where(b => float.IsFinite((float)BitConverter.Int16BitsToHalf(b)))];

    private delegate void Load(short* source, float* destination);

    private static void AssertExactAndNormal(Load load, int count)
    {
        short[] halves = FiniteHalves();
        int whole = halves.Length / count * count;
        var values = new float[whole];
        fixed (short* source = halves)
        fixed (float* destination = values)
        {
            for (int i = 0; i < whole; i += count) load(source + i, destination + i);
        }
        for (int i = 0; i < whole; i++)
        {
            float expected = (float)BitConverter.Int16BitsToHalf(halves[i]);
            Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(values[i]),
                $"half 0x{(ushort)halves[i]:x4}: {values[i]:R}, expected {expected:R}");
            Assert.False(float.IsSubnormal(values[i]), $"half 0x{(ushort)halves[i]:x4} became a subnormal float");
        }
    }

    [Fact]
    public void The_portable_load_is_exact_for_every_finite_half() =>
        AssertExactAndNormal((s, d) => HalfLanes.HalfToNormal4(s).Store(d), 4);

    [Fact]
    public void The_avx2_load_is_exact_for_every_finite_half()
    {
        if (!Avx2.IsSupported) return; // (this CPU cannot run the tier: the portable and Arm64 runs cover the rest)
        AssertExactAndNormal((s, d) => HalfLanes.HalfToNormal8(s).Store(d), 8);
    }

    [Fact]
    public void The_avx512_load_is_exact_for_every_finite_half()
    {
        if (!Avx512F.IsSupported) return;
        AssertExactAndNormal((s, d) => HalfLanes.HalfToNormal16(s).Store(d), 16);
    }

    [Fact]
    public void Subnormal_halves_become_subnormal_floats_in_place_which_is_what_the_normal_loads_avoid()
    {
        short* smallest = stackalloc short[] { 0x0001, 0, 0, 0 }; // 2^-24, a subnormal half (the loads read four)
        float inPlace = HalfLanes.HalfBitsInPlace4(smallest).GetElement(0);
        Assert.True(float.IsSubnormal(inPlace));
        Assert.Equal(MathF.ScaleB(1f, -24), HalfLanes.HalfToNormal4(smallest).GetElement(0));
    }
}
