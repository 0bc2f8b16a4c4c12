using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Myna.Tensors.Quantized;

/// <summary>
/// Half precision to single precision at 256 and 128 bits, by the integer trick of
/// <see cref="HalfConversion.HalfBitsInPlace16"/>: each half sign-extended to 32 bits and shifted left by 13 puts sign,
/// exponent and mantissa in place with stray copies of the sign above the exponent, which a mask clears. The result is
/// the half's value times 2^-112, exactly (subnormal halves become subnormal floats), so multiplying by 2^112 — or
/// pre-multiplying the other factor by it — gives the exact value. (.NET exposes no F16C instructions.)
/// </summary>
internal static unsafe class HalfLanes
{
    private const int InPlaceMask = unchecked((int)0x8FFF_E000); // the sign, then the 5 exponent and 10 mantissa bits

    /// <summary>8 halves as floats scaled by 2^-112 (AVX2).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> HalfBitsInPlace8(short* source) =>
        ((Avx2.ConvertToVector256Int32(source) << 13) & Vector256.Create(InPlaceMask)).AsSingle();

    /// <summary>4 halves as floats scaled by 2^-112 (cross-platform Vector128: SSE or NEON).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> HalfBitsInPlace4(short* source)
    {
        Vector128<int> widened = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(source)).AsInt16());
        return ((widened << 13) & Vector128.Create(InPlaceMask)).AsSingle();
    }

    /// <summary>Half bits to floats for <paramref name="count"/> values with <typeparamref name="TLanes"/>'s vectors (exact for finite halves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    public static void HalfToSingle<TLanes, TVec>(ushort* source, float* destination, long count)
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        TVec scale = TLanes.Broadcast(HalfConversion.InPlaceScale);
        long i = 0;
        for (; i <= count - TLanes.Count; i += TLanes.Count)
            TLanes.Store(TLanes.Multiply(TLanes.LoadHalfInPlace((short*)(source + i)), scale), destination + i);
        for (; i < count; i++) destination[i] = (float)BitConverter.UInt16BitsToHalf(source[i]);
    }
}
