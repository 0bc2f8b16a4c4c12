using Myna.Tensors;

namespace Myna.Tests.Tensors;

public class HalfConversionTests
{
    [Fact]
    public void HalfToSingleIsExactForEveryFiniteHalf()
    {
        var bits = new ushort[65536];
        for (int i = 0; i < bits.Length; i++) bits[i] = (ushort)i;
        var converted = new float[bits.Length];
        HalfConversion.HalfToSingle(bits, converted);
        for (int i = 0; i < bits.Length; i++)
        {
            Half half = BitConverter.UInt16BitsToHalf((ushort)i);
            if (Half.IsFinite(half)) Assert.Equal(BitConverter.SingleToInt32Bits((float)half), BitConverter.SingleToInt32Bits(converted[i]));
        }
    }

    [Fact]
    public void SingleToHalfRoundsLikeTheHalfCastAcrossTheFloatRange()
    {
        // Every 251st bit pattern (all exponents, both signs, NaNs included) plus the edges where rounding changes.
        var values = new List<float>();
        for (long u = 0; u <= uint.MaxValue; u += 251) values.Add(BitConverter.UInt32BitsToSingle((uint)u));
        float[] edges =
        [
            0f, -0f, 65504f, 65519.99f, 65520f, 65536f, -65520f, float.MaxValue, float.Epsilon, float.PositiveInfinity,
            float.NegativeInfinity, float.NaN, 6.1035156e-05f, 6.1035153e-05f, 5.9604645e-08f, 2.9802322e-08f, 2.9802326e-08f,
            8.940697e-08f, 1.0009766f, 1.0004883f, 1.0014648f, 2049f, 2051f, -3.0517578e-05f,
        ];
        values.AddRange(edges);
        // Exact ties between neighbouring halves, both even and odd, in the normal and subnormal ranges.
        for (ushort h = 0; h < 0x7BFF; h += 7)
        {
            float low = (float)BitConverter.UInt16BitsToHalf(h), high = (float)BitConverter.UInt16BitsToHalf((ushort)(h + 1));
            values.Add((float)(((double)low + high) / 2));
        }
        float[] source = values.ToArray();
        var converted = new ushort[source.Length];
        HalfConversion.SingleToHalf(source, converted);
        for (int i = 0; i < source.Length; i++)
        {
            ushort expected = BitConverter.HalfToUInt16Bits((Half)source[i]);
            if (float.IsNaN(source[i])) Assert.True(Half.IsNaN(BitConverter.UInt16BitsToHalf(converted[i])), $"NaN {BitConverter.SingleToUInt32Bits(source[i]):X8} became {converted[i]:X4}");
            else Assert.True(expected == converted[i], $"{source[i]:R} ({BitConverter.SingleToUInt32Bits(source[i]):X8}): expected {expected:X4}, got {converted[i]:X4}");
        }
    }

    [Fact]
    public void ShortDestinationsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => HalfConversion.SingleToHalf(new float[17], new ushort[16]));
        Assert.Throws<ArgumentException>(() => HalfConversion.HalfToSingle(new ushort[3], new float[2]));
    }
}
