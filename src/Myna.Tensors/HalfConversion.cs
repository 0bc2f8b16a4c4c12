using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Myna.Tensors;

/// <summary>
/// IEEE half precision ↔ single precision for whole vectors, as the F16C instructions would do it (.NET exposes none),
/// at every <see cref="SimdTier"/>: half → single is exact; single → half rounds to nearest, ties to even, with
/// overflow to infinity, subnormal halves, and NaN kept NaN — the same values as a <see cref="Half"/> cast, element by
/// element, whichever tier runs.
/// </summary>
public static unsafe class HalfConversion
{
    private static readonly SimdTier Tier = SimdTiers.Current;

    /// <summary>Rounds <paramref name="source"/> to half precision bits in <paramref name="destination"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the source.</exception>
    public static void SingleToHalf(ReadOnlySpan<float> source, Span<ushort> destination) => SingleToHalf(source, destination, Tier);

    /// <summary><see cref="SingleToHalf(ReadOnlySpan{float}, Span{ushort})"/> at an explicit tier (tests run every supported one).</summary>
    internal static void SingleToHalf(ReadOnlySpan<float> source, Span<ushort> destination, SimdTier tier)
    {
        if (destination.Length < source.Length) throw new ArgumentException("destination is shorter than the source.", nameof(destination));
        fixed (float* s = source)
        fixed (ushort* d = destination) SingleToHalf(s, d, source.Length, tier);
    }

    /// <summary>Expands half precision bits in <paramref name="source"/> to floats in <paramref name="destination"/> (exact, infinities and NaN included).</summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than the source.</exception>
    public static void HalfToSingle(ReadOnlySpan<ushort> source, Span<float> destination) => HalfToSingle(source, destination, Tier);

    /// <summary><see cref="HalfToSingle(ReadOnlySpan{ushort}, Span{float})"/> at an explicit tier (tests run every supported one).</summary>
    internal static void HalfToSingle(ReadOnlySpan<ushort> source, Span<float> destination, SimdTier tier)
    {
        if (destination.Length < source.Length) throw new ArgumentException("destination is shorter than the source.", nameof(destination));
        fixed (ushort* s = source)
        fixed (float* d = destination) HalfToSingle(s, d, source.Length, tier);
    }

    private const uint SignBit = 0x8000_0000;
    private const uint SingleInfinity = 0x7F80_0000;
    private const uint HalfOverflow = 0x4780_0000;       // 65536: from here on a half is infinite
    private const uint HalfSmallestNormal = 0x3880_0000; // 2^-14: below it a half is subnormal
    private const uint SubnormalMagic = 0x3F00_0000;     // 0.5: adding it aligns the value's bits to a half subnormal
    private const int InPlaceMask = unchecked((int)0x8FFF_E000); // sign, exponent and mantissa of a half shifted by 13
    private const int InPlaceExponent = 0x0F80_0000;     // a half's exponent field, shifted by 13: all ones for ∞ and NaN

    /// <summary>2^112: what <see cref="HalfBitsInPlace16"/>'s values are short of the halves they hold.</summary>
    internal static readonly float InPlaceScale = BitConverter.UInt32BitsToSingle(0x7780_0000);

    private const uint ExponentRebias = unchecked((uint)((15 - 127) << 23));

    /// <summary>Half bits to floats for <paramref name="count"/> values at this process's tier.</summary>
    internal static void HalfToSingle(ushort* source, float* destination, long count) => HalfToSingle(source, destination, count, Tier);

    /// <summary>Half bits to floats for <paramref name="count"/> values (exact, infinities and NaN included).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    internal static void HalfToSingle(ushort* source, float* destination, long count, SimdTier tier)
    {
        long i = 0;
        if (tier == SimdTier.Avx512)
        {
            for (; i <= count - 16; i += 16)
            {
                var bits = Avx512F.ConvertToVector512Int32(Vector256.Load((short*)source + i)) << 13;
                var inPlace = bits & Vector512.Create(InPlaceMask);
                var special = Vector512.Equals(bits & Vector512.Create(InPlaceExponent), Vector512.Create(InPlaceExponent));
                Vector512.ConditionalSelect(special.AsSingle(), (inPlace | Vector512.Create((int)SingleInfinity)).AsSingle(), inPlace.AsSingle() * Vector512.Create(InPlaceScale))
                    .Store(destination + i);
            }
        }
        else if (tier == SimdTier.Avx2)
        {
            for (; i <= count - 8; i += 8)
            {
                var bits = Avx2.ConvertToVector256Int32((short*)source + i) << 13;
                var inPlace = bits & Vector256.Create(InPlaceMask);
                var special = Vector256.Equals(bits & Vector256.Create(InPlaceExponent), Vector256.Create(InPlaceExponent));
                Vector256.ConditionalSelect(special.AsSingle(), (inPlace | Vector256.Create((int)SingleInfinity)).AsSingle(), inPlace.AsSingle() * Vector256.Create(InPlaceScale))
                    .Store(destination + i);
            }
        }
        else
        {
            for (; i <= count - 8; i += 8)
            {
                var halves = Vector128.Load((short*)source + i);
                ExactHalfToSingle4(Vector128.WidenLower(halves)).Store(destination + i);
                ExactHalfToSingle4(Vector128.WidenUpper(halves)).Store(destination + i + 4);
            }
        }
        for (; i < count; i++) destination[i] = (float)BitConverter.UInt16BitsToHalf(source[i]);
    }

    /// <summary>Four sign-extended halves to floats, infinities and NaN included.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> ExactHalfToSingle4(Vector128<int> halves)
    {
        var bits = halves << 13;
        var inPlace = bits & Vector128.Create(InPlaceMask);
        var special = Vector128.Equals(bits & Vector128.Create(InPlaceExponent), Vector128.Create(InPlaceExponent));
        return Vector128.ConditionalSelect(special.AsSingle(), (inPlace | Vector128.Create((int)SingleInfinity)).AsSingle(), inPlace.AsSingle() * Vector128.Create(InPlaceScale));
    }

    /// <summary>Floats to half bits for <paramref name="count"/> values at this process's tier.</summary>
    internal static void SingleToHalf(float* source, ushort* destination, long count) => SingleToHalf(source, destination, count, Tier);

    /// <summary>Floats to half bits for <paramref name="count"/> values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    internal static void SingleToHalf(float* source, ushort* destination, long count, SimdTier tier)
    {
        long i = 0;
        if (tier == SimdTier.Avx512)
        {
            for (; i <= count - 16; i += 16) SingleToHalf16(Vector512.Load(source + i)).Store(destination + i);
        }
        else if (tier == SimdTier.Avx2)
        {
            for (; i <= count - 8; i += 8) SingleToHalf8(Vector256.Load(source + i)).Store(destination + i);
        }
        else
        {
            for (; i <= count - 8; i += 8)
                Vector128.Narrow(SingleToHalf4(Vector128.Load(source + i)), SingleToHalf4(Vector128.Load(source + i + 4))).Store(destination + i);
        }
        for (; i < count; i++) destination[i] = BitConverter.HalfToUInt16Bits((Half)source[i]);
    }

    /// <summary>
    /// 16 halves to floats: <see cref="HalfBitsInPlace16"/> times 2^112, which rebiases the exponent from 15 to 127 and
    /// also normalises subnormal halves. Exact for finite halves (infinities and NaN come out finite: kernels reading a
    /// cache or weights never hold them).
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
        ((Avx512F.ConvertToVector512Int32(Vector256.Load(source)) << 13) & Vector512.Create(InPlaceMask)).AsSingle();

    /// <summary>8 halves to floats, as <see cref="HalfToSingle16"/> does 16 (AVX2 tier; finite halves exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> HalfToSingle8(short* source) =>
        HalfBitsInPlace8(source) * Vector256.Create(InPlaceScale);

    /// <summary>8 halves as floats scaled by 2^-112, as <see cref="HalfBitsInPlace16"/> does 16 (AVX2 tier).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> HalfBitsInPlace8(short* source) =>
        ((Avx2.ConvertToVector256Int32(source) << 13) & Vector256.Create(InPlaceMask)).AsSingle();

    /// <summary>4 halves to floats, as <see cref="HalfToSingle16"/> does 16 (portable tier; finite halves exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> HalfToSingle4(short* source) =>
        HalfBitsInPlace4(source) * Vector128.Create(InPlaceScale);

    /// <summary>4 halves as floats scaled by 2^-112, as <see cref="HalfBitsInPlace16"/> does 16 (portable tier).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<float> HalfBitsInPlace4(short* source)
    {
        Vector128<short> four = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(source)).AsInt16();
        return ((Vector128.WidenLower(four) << 13) & Vector128.Create(InPlaceMask)).AsSingle();
    }

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

    /// <summary>
    /// 8 floats to half bits, as <see cref="SingleToHalf16"/> does 16 (AVX2 tier). The magnitudes fit 31 bits, so the
    /// comparisons are signed: x64 has no unsigned vector compare before AVX-512.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<ushort> SingleToHalf8(Vector256<float> x)
    {
        Vector256<int> bits = x.AsInt32();
        Vector256<int> sign = bits & Vector256.Create(unchecked((int)SignBit));
        Vector256<int> magnitude = bits ^ sign;

        Vector256<int> special = Vector256.ConditionalSelect(
            Vector256.GreaterThan(magnitude, Vector256.Create((int)SingleInfinity)), Vector256.Create(0x7E00), Vector256.Create(0x7C00));
        Vector256<int> subnormal = (magnitude.AsSingle() + Vector256.Create(SubnormalMagic).AsSingle()).AsInt32() - Vector256.Create((int)SubnormalMagic);
        Vector256<int> lowestKept = Vector256.ShiftRightLogical(magnitude, 13) & Vector256<int>.One;
        Vector256<int> normal = Vector256.ShiftRightLogical(magnitude + Vector256.Create(unchecked((int)(ExponentRebias + 0xFFFu))) + lowestKept, 13);

        Vector256<int> result = Vector256.ConditionalSelect(Vector256.LessThan(magnitude, Vector256.Create((int)HalfSmallestNormal)), subnormal, normal);
        result = Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(magnitude, Vector256.Create((int)HalfOverflow)), special, result);
        result |= Vector256.ShiftRightLogical(sign, 16);
        // Every lane is a 16-bit value, so the saturating pack is a plain narrowing.
        return Sse41.PackUnsignedSaturate(result.GetLower(), result.GetUpper());
    }

    /// <summary>
    /// 4 floats to half bits, widened to 32 bits per lane, as <see cref="SingleToHalf16"/> does 16 (portable tier;
    /// the caller narrows two of these with <see cref="Vector128.Narrow(Vector128{uint}, Vector128{uint})"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector128<uint> SingleToHalf4(Vector128<float> x)
    {
        Vector128<int> bits = x.AsInt32();
        Vector128<int> sign = bits & Vector128.Create(unchecked((int)SignBit));
        Vector128<int> magnitude = bits ^ sign;

        Vector128<int> special = Vector128.ConditionalSelect(
            Vector128.GreaterThan(magnitude, Vector128.Create((int)SingleInfinity)), Vector128.Create(0x7E00), Vector128.Create(0x7C00));
        Vector128<int> subnormal = (magnitude.AsSingle() + Vector128.Create(SubnormalMagic).AsSingle()).AsInt32() - Vector128.Create((int)SubnormalMagic);
        Vector128<int> lowestKept = Vector128.ShiftRightLogical(magnitude, 13) & Vector128<int>.One;
        Vector128<int> normal = Vector128.ShiftRightLogical(magnitude + Vector128.Create(unchecked((int)(ExponentRebias + 0xFFFu))) + lowestKept, 13);

        Vector128<int> result = Vector128.ConditionalSelect(Vector128.LessThan(magnitude, Vector128.Create((int)HalfSmallestNormal)), subnormal, normal);
        result = Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(magnitude, Vector128.Create((int)HalfOverflow)), special, result);
        return (result | Vector128.ShiftRightLogical(sign, 16)).AsUInt32();
    }
}
