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
/// <remarks>
/// The trick turns every subnormal half (|w| &lt; 2^-14, a few in a thousand of a trained model's weights) into a
/// subnormal float, and Intel cores run a multiply or FMA with a subnormal operand through a microcode assist of the
/// order of a hundred cycles, as AMD cores do for SSE's separate multiply (AMD's FMA and Arm cores take them at full
/// speed), for every vector holding one. So f16 matrices are stored prescaled where that is exact
/// (<see cref="PrescaledHalves"/>), which leaves no subnormal half at all. For the rare matrix that cannot be
/// (<see cref="PlainHalves"/>), the kernels on Intel take <see cref="IFloatLanes{TVec}.LoadHalf"/> instead: the same
/// exact values, as normal floats, for a few more integer operations per vector (<see cref="AvoidSubnormals"/>).
/// </remarks>
internal static unsafe class HalfLanes
{
    private const int InPlaceMask = unchecked((int)0x8FFF_E000); // the sign, then the 5 exponent and 10 mantissa bits
    private const int MagnitudeMask = 0x0FFF_E000;              // the 5 exponent and 10 mantissa bits, shifted by 13
    private const int NormalRebias = (127 - 15) << 23;          // added to a normal half's shifted bits: its float
    private const int SmallRebias = (127 - 15 + 1) << 23;       // 2^-14·(1 + m/1024) for exponent-0 halves, less 2^-14 …
    private const int SmallestNormal = 1 << 23;                 // shifted bits below this: a zero or subnormal half
    private static readonly float SmallestNormalHalf = BitConverter.Int32BitsToSingle(SmallRebias); // … 2^-14: m·2^-24 exactly

    /// <summary>
    /// Whether f16 kernels load plain halves (<see cref="PlainHalves"/>, a matrix that could not be prescaled) with
    /// <see cref="IFloatLanes{TVec}.LoadHalf"/> (no subnormal floats) rather than the in-place trick: on Intel CPUs, where
    /// subnormal operands are slow; <c>MYNA_F16_LOADS=normal</c> or <c>in-place</c> overrides it. Both give the same
    /// values, so results do not depend on it. Prescaled halves have no subnormal and always take the in-place trick.
    /// </summary>
    internal static readonly bool AvoidSubnormals = Environment.GetEnvironmentVariable("MYNA_F16_LOADS") switch
    {
        "normal" => true,
        "in-place" => false,
        _ => X86Base.IsSupported && IsIntel(),
    };

    private static bool IsIntel()
    {
        (_, int ebx, int ecx, int edx) = X86Base.CpuId(0, 0);
        return ebx == 0x756E_6547 && edx == 0x4965_6E69 && ecx == 0x6C65_746E; // "GenuineIntel"
    }

    /// <summary>16 halves as floats, exactly, with no subnormal float on the way (AVX-512; finite halves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> HalfToNormal16(short* source)
    {
        Vector512<int> bits = Avx512F.ConvertToVector512Int32(Vector256.Load(source)) << 13;
        Vector512<int> magnitude = bits & Vector512.Create(MagnitudeMask);
        Vector512<float> normal = (magnitude + Vector512.Create(NormalRebias)).AsSingle();
        Vector512<float> small = (magnitude + Vector512.Create(SmallRebias)).AsSingle() - Vector512.Create(SmallestNormalHalf);
        Vector512<float> value = Vector512.ConditionalSelect(Vector512.LessThan(magnitude, Vector512.Create(SmallestNormal)).AsSingle(), small, normal);
        return (value.AsInt32() | (bits & Vector512.Create(int.MinValue))).AsSingle();
    }

    /// <summary>8 halves as floats, exactly, with no subnormal float on the way (AVX2; finite halves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> HalfToNormal8(short* source)
    {
        Vector256<int> bits = Avx2.ConvertToVector256Int32(source) << 13;
        Vector256<int> magnitude = bits & Vector256.Create(MagnitudeMask);
        Vector256<float> normal = (magnitude + Vector256.Create(NormalRebias)).AsSingle();
        Vector256<float> small = (magnitude + Vector256.Create(SmallRebias)).AsSingle() - Vector256.Create(SmallestNormalHalf);
        Vector256<float> value = Vector256.ConditionalSelect(Vector256.LessThan(magnitude, Vector256.Create(SmallestNormal)).AsSingle(), small, normal);
        return (value.AsInt32() | (bits & Vector256.Create(int.MinValue))).AsSingle();
    }

    /// <summary>4 halves as floats, exactly, with no subnormal float on the way (cross-platform Vector128; finite halves).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> HalfToNormal4(short* source)
    {
        Vector128<int> bits = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(source)).AsInt16()) << 13;
        Vector128<int> magnitude = bits & Vector128.Create(MagnitudeMask);
        Vector128<float> normal = (magnitude + Vector128.Create(NormalRebias)).AsSingle();
        Vector128<float> small = (magnitude + Vector128.Create(SmallRebias)).AsSingle() - Vector128.Create(SmallestNormalHalf);
        Vector128<float> value = Vector128.ConditionalSelect(Vector128.LessThan(magnitude, Vector128.Create(SmallestNormal)).AsSingle(), small, normal);
        return (value.AsInt32() | (bits & Vector128.Create(int.MinValue))).AsSingle();
    }

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

    /// <summary>
    /// Stored half bits to the weights as floats for <paramref name="count"/> values with <typeparamref name="TLanes"/>'s
    /// vectors (exact for finite halves), undoing <typeparamref name="TStorage"/>'s scale.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
    public static void HalfToSingle<TStorage, TLanes, TVec>(ushort* source, float* destination, long count)
        where TStorage : struct, IHalfStorage
        where TLanes : struct, IFloatLanes<TVec>
        where TVec : struct
    {
        TVec factor = TLanes.Broadcast(TStorage.InPlaceFactor);
        long i = 0;
        if (TStorage.MayHoldSubnormals && AvoidSubnormals)
        {
            for (; i <= count - TLanes.Count; i += TLanes.Count) TLanes.Store(TLanes.LoadHalf((short*)(source + i)), destination + i);
        }
        else
        {
            for (; i <= count - TLanes.Count; i += TLanes.Count)
                TLanes.Store(TLanes.Multiply(TLanes.LoadHalfInPlace((short*)(source + i)), factor), destination + i);
        }
        for (; i < count; i++) destination[i] = (float)BitConverter.UInt16BitsToHalf(source[i]) * TStorage.Unscale;
    }
}
