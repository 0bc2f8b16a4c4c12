using System.Runtime.Intrinsics;
using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class HalfConversionTests
{
    public static TheoryData<SimdTier> Tiers => [.. SimdTiers.Supported];

    [Theory]
    [MemberData(nameof(Tiers))]
    public void HalfToSingleIsExactForEveryHalf(SimdTier tier)
    {
        var bits = new ushort[65536 + 5]; // a tail after the vector loop, too
        for (int i = 0; i < bits.Length; i++) bits[i] = (ushort)i;
        var converted = new float[bits.Length];
        HalfConversion.HalfToSingle(bits, converted, tier);
        for (int i = 0; i < bits.Length; i++)
        {
            Half half = BitConverter.UInt16BitsToHalf(bits[i]);
            if (Half.IsNaN(half)) Assert.True(float.IsNaN(converted[i]), $"{tier}: NaN {bits[i]:X4} became {converted[i]}");
            else Assert.True(BitConverter.SingleToInt32Bits((float)half) == BitConverter.SingleToInt32Bits(converted[i]), $"{tier}: {bits[i]:X4} became {converted[i]:R}, expected {(float)half:R}");
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public unsafe void KernelLoadsAreExactForEveryFiniteHalf(SimdTier tier)
    {
        // The loaders the kernels use on a cache or on weights: exact for finite halves (the only ones they meet).
        var bits = new ushort[65536];
        for (int i = 0; i < bits.Length; i++) bits[i] = (ushort)i;
        var converted = new float[bits.Length];
        fixed (ushort* b = bits)
        fixed (float* c = converted)
        {
            for (int i = 0; i < bits.Length; i += 16)
            {
                short* at = (short*)b + i;
                switch (tier)
                {
                    case SimdTier.Avx512: HalfConversion.HalfToSingle16(at).Store(c + i); break;
                    case SimdTier.Avx2: HalfConversion.HalfToSingle8(at).Store(c + i); HalfConversion.HalfToSingle8(at + 8).Store(c + i + 8); break;
                    default: for (int q = 0; q < 16; q += 4) HalfConversion.HalfToSingle4(at + q).Store(c + i + q); break;
                }
            }
        }
        for (int i = 0; i < bits.Length; i++)
        {
            Half half = BitConverter.UInt16BitsToHalf((ushort)i);
            if (Half.IsFinite(half)) Assert.Equal(BitConverter.SingleToInt32Bits((float)half), BitConverter.SingleToInt32Bits(converted[i]));
        }
    }

    [Theory]
    [MemberData(nameof(Tiers))]
    public void SingleToHalfRoundsLikeTheHalfCastAcrossTheFloatRange(SimdTier tier)
    {
        // Every 251st bit pattern (all exponents, both signs, NaNs included) plus the edges where rounding changes.
        var values = new List<float>();
        for (long u = 0; u <= uint.MaxValue; u += 251) values.Add(BitConverter.UInt32BitsToSingle((uint)u));
        float[] edges =
        [
            0f, -0f, 65504f, 65519.99f, 65520f, 65536f, -65520f, float.MaxValue, float.Epsilon, float.PositiveInfinity,
            float.NegativeInfinity, float.NaN, 6.1035156e-05f, 6.1035153e-05f, 5.9604645e-08f, 2.9802322e-08f, 2.9802326e-08f,
            8.940697e-08f, 1.0009766f, 1.0004883f, 1.0014648f, 2049f, 2051f, -3.0517578e-05f, -float.MaxValue, -float.Epsilon,
            BitConverter.UInt32BitsToSingle(0xFF800001), BitConverter.UInt32BitsToSingle(0x7FFFFFFF),
        ];
        values.AddRange(edges);
        // Exact ties between neighbouring halves, both even and odd, in the normal and subnormal ranges, of both signs.
        for (ushort h = 0; h < 0x7BFF; h += 7)
        {
            float low = (float)BitConverter.UInt16BitsToHalf(h), high = (float)BitConverter.UInt16BitsToHalf((ushort)(h + 1));
            float tie = (float)(((double)low + high) / 2);
            values.Add(tie);
            values.Add(-tie);
        }
        values.AddRange(edges); // again, at another offset from the vector boundaries
        float[] source = values.ToArray();
        var converted = new ushort[source.Length];
        HalfConversion.SingleToHalf(source, converted, tier);
        for (int i = 0; i < source.Length; i++)
        {
            ushort expected = BitConverter.HalfToUInt16Bits((Half)source[i]);
            if (float.IsNaN(source[i])) Assert.True(Half.IsNaN(BitConverter.UInt16BitsToHalf(converted[i])), $"{tier}: NaN {BitConverter.SingleToUInt32Bits(source[i]):X8} became {converted[i]:X4}");
            else Assert.True(expected == converted[i], $"{tier}: {source[i]:R} ({BitConverter.SingleToUInt32Bits(source[i]):X8}): expected {expected:X4}, got {converted[i]:X4}");
        }
    }

    [Fact]
    public void TheDefaultEntryRunsTheProcessTier()
    {
        float[] source = KernelTestData.Floats(new Random(3), 1000, 70000);
        var byDefault = new ushort[source.Length];
        var atTier = new ushort[source.Length];
        HalfConversion.SingleToHalf(source, byDefault);
        HalfConversion.SingleToHalf(source, atTier, SimdTiers.Current);
        Assert.Equal(atTier, byDefault);
    }

    [Fact]
    public void ShortDestinationsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => HalfConversion.SingleToHalf(new float[17], new ushort[16]));
        Assert.Throws<ArgumentException>(() => HalfConversion.HalfToSingle(new ushort[3], new float[2]));
    }
}
