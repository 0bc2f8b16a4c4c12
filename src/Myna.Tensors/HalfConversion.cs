using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Myna.Tensors;

/// <summary>
/// IEEE half precision ↔ single precision for whole vectors, as the F16C instructions would do it (.NET exposes none):
/// half → single is exact; single → half rounds to nearest, ties to even, with overflow to infinity, subnormal halves,
/// and NaN kept NaN — the same values as a <see cref="Half"/> cast, element by element.
/// </summary>
public static unsafe class HalfConversion
{
    /// <summary>Rounds <paramref name="source"/> to half precision bits in <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the source.</exception>
    public static void SingleToHalf(ReadOnlySpan<float> source, Span<ushort> destination)
    {
        if (destination.Length < source.Length) throw new ArgumentException("destination is shorter than the source.", nameof(destination));
        fixed (float* s = source)
        fixed (ushort* d = destination) SingleToHalf(s, d, source.Length);
    }

    /// <summary>Expands half precision bits in <paramref name="source"/> to floats in <paramref name="destination"/> (exact).</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the source.</exception>
    public static void HalfToSingle(ReadOnlySpan<ushort> source, Span<float> destination)
    {
        if (destination.Length < source.Length) throw new ArgumentException("destination is shorter than the source.", nameof(destination));
        fixed (ushort* s = source)
        fixed (float* d = destination) HalfToSingle(s, d, source.Length);
    }

    private const uint SignBit = 0x8000_0000;
    private const uint SingleInfinity = 0x7F80_0000;
    private const uint HalfOverflow = 0x4780_0000;       // 65536: from here on a half is infinite
    private const uint HalfSmallestNormal = 0x3880_0000; // 2^-14: below it a half is subnormal
    private const uint SubnormalMagic = 0x3F00_0000;     // 0.5: adding it aligns the value's bits to a half subnormal
    /// <summary>2^112: what <see cref="HalfBitsInPlace16"/>'s values are short of the halves they hold.</summary>
    internal static readonly float InPlaceScale = BitConverter.UInt32BitsToSingle(0x7780_0000);

    private const uint ExponentRebias = unchecked((uint)((15 - 127) << 23));

    /// <summary>Half bits to floats for <paramref name="count"/> values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    internal static void HalfToSingle(ushort* source, float* destination, long count)
    {
        long i = 0;
        if (Avx512F.IsSupported)
        {
            for (; i <= count - 16; i += 16) HalfToSingle16((short*)(source + i)).Store(destination + i);
        }
        for (; i < count; i++) destination[i] = (float)BitConverter.UInt16BitsToHalf(source[i]);
    }

    /// <summary>Floats to half bits for <paramref name="count"/> values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    internal static void SingleToHalf(float* source, ushort* destination, long count)
    {
        long i = 0;
        if (Avx512F.IsSupported)
        {
            for (; i <= count - 16; i += 16) SingleToHalf16(Vector512.Load(source + i)).Store(destination + i);
        }
        for (; i < count; i++) destination[i] = BitConverter.HalfToUInt16Bits((Half)source[i]);
    }

    /// <summary>
    /// 16 halves to floats: <see cref="HalfBitsInPlace16"/> times 2^112, which rebiases the exponent from 15 to 127 and
    /// also normalises subnormal halves.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> HalfToSingle16(short* source) =>
        HalfBitsInPlace16(source) * Vector512.Create(InPlaceScale);

    /// <summary>
    /// 16 halves as floats scaled by 2^-112, exactly: each half sign-extended to 32 bits and shifted by 13, so sign,
    /// exponent and mantissa land in place with three stray copies of the sign above the exponent (masked off). Kernels
    /// that pre-multiply the other factor by 2^112 use this directly and skip a multiply.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> HalfBitsInPlace16(short* source) =>
        ((Avx512F.ConvertToVector512Int32(Vector256.Load(source)) << 13) & Vector512.Create(unchecked((int)0x8FFF_E000))).AsSingle();

    /// <summary>
    /// 16 floats to half bits, round to nearest even. Three ranges of |x|: from 65536 on (and NaN) the result is
    /// infinity (or a quiet NaN); below 2^-14 the float addition of 0.5 rounds the value into the low mantissa bits,
    /// which are the half's subnormal bits; in between the exponent is rebiased and the 13 dropped bits are rounded by
    /// adding 0xFFF plus the lowest kept bit (a carry into the exponent is the correct rounding up, even to infinity).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<ushort> SingleToHalf16(Vector512<float> x)
    {
        Vector512<uint> bits = x.AsUInt32();
        Vector512<uint> sign = bits & Vector512.Create(SignBit);
        Vector512<uint> magnitude = bits ^ sign;

        Vector512<uint> special = Vector512.ConditionalSelect(
            Vector512.GreaterThan(magnitude, Vector512.Create(SingleInfinity)), Vector512.Create(0x7E00u), Vector512.Create(0x7C00u));
        Vector512<uint> subnormal = (magnitude.AsSingle() + Vector512.Create(SubnormalMagic).AsSingle()).AsUInt32() - Vector512.Create(SubnormalMagic);
        Vector512<uint> lowestKept = (magnitude >> 13) & Vector512<uint>.One;
        Vector512<uint> normal = (magnitude + Vector512.Create(ExponentRebias + 0xFFFu) + lowestKept) >> 13;

        Vector512<uint> result = Vector512.ConditionalSelect(Vector512.LessThan(magnitude, Vector512.Create(HalfSmallestNormal)), subnormal, normal);
        result = Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(magnitude, Vector512.Create(HalfOverflow)), special, result);
        return Avx512F.ConvertToVector256UInt16(result | (sign >> 16));
    }
}
