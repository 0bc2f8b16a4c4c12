using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Myna.Tensors.Quantized;

/// <summary>
/// One <see cref="SimdTier"/>'s float vector, as the <see cref="QuantizedMatMul"/> kernels use it: the kernels are
/// written once over this interface and instantiated per tier (the JIT specialises each struct instantiation, so the
/// calls vanish). <typeparamref name="TVec"/> is the tier's vector of floats.
/// </summary>
/// <remarks>
/// Every tier fixes one reduction tree for <see cref="Sum"/>, and <see cref="Sums4"/> must give each of its four sums
/// bit for bit as <see cref="Sum"/> would: that is what keeps a row's result independent of the kernel that computed it.
/// </remarks>
internal unsafe interface IFloatLanes<TVec> where TVec : struct
{
    /// <summary>Floats per vector.</summary>
    static abstract int Count { get; }

    /// <summary>Rows of X per register-blocked kernel call (<see cref="DotBlock"/>), for <paramref name="m"/> rows of X and W rows of <paramref name="elementBytes"/> bytes a weight.</summary>
    static abstract int BlockRows(int elementBytes, int m);

    /// <summary>Rows of W per register-blocked kernel call with <paramref name="blockRows"/> rows of X: 3, or 2 where it takes <c>Dot4x2</c> (w2 is then unused).</summary>
    static abstract int BlockWRows(int blockRows);

    static abstract TVec Zero { get; }

    static abstract TVec Load(float* source);

    static abstract void Store(TVec value, float* destination);

    static abstract TVec Broadcast(float value);

    static abstract TVec Multiply(TVec a, TVec b);

    /// <summary>a·b + c: fused on the x86 tiers; on the portable tier fused where the hardware fuses (Arm64), else multiply then add.</summary>
    static abstract TVec MultiplyAdd(TVec a, TVec b, TVec c);

    /// <summary>The sum of the lanes in this tier's fixed pairing.</summary>
    static abstract float Sum(TVec value);

    /// <summary>destination[0..4) = <see cref="Sum"/> of a, b, c, d, bit for bit.</summary>
    static abstract void Sums4(TVec a, TVec b, TVec c, TVec d, float* destination);

    /// <summary>Count halves as floats scaled by 2^-112, exactly (the bits shifted into place; see <see cref="HalfLanes"/>).</summary>
    static abstract TVec LoadHalfInPlace(short* source);

    /// <summary>Count halves as floats, exactly, never passing through a subnormal float (see <see cref="HalfLanes"/>).</summary>
    static abstract TVec LoadHalf(short* source);

    /// <summary>Count signed bytes as floats.</summary>
    static abstract TVec LoadSBytes(sbyte* source);

    /// <summary>Whether <see cref="Prefetch"/> does anything (not on the portable tier on Arm64: .NET has no prefetch there).</summary>
    static abstract bool Prefetches { get; }

    /// <summary>Asks for the cache line at <paramref name="address"/> (nothing on Arm64).</summary>
    static abstract void Prefetch(byte* address);

    /// <summary>
    /// The register-blocked kernel: result[a·3 + b] = X row a · W row b for <see cref="BlockRows"/> rows of X
    /// (interleaved by <c>PackRows</c>) and 3 rows of W in format <typeparamref name="TRow"/>. Each output is one
    /// accumulator over Count-value steps, reduced by <see cref="Sum"/>'s tree, then the scalar tail: the same value the
    /// one-row kernel gives. Prefetches [ahead, + vectorK/Count · aheadStep) at the pace the rows are read.
    /// </summary>
    static abstract void DotBlock<TRow>(int blockRows, float* x, int vectorK, int k, byte* w0, byte* w1, byte* w2, float* s0, float* s1, float* s2, float* result, byte* ahead, int aheadStep)
        where TRow : struct, QuantizedMatMul.IRowFormat;
}

/// <summary>The AVX-512 tier's lanes: 16 floats.</summary>
internal readonly unsafe struct FloatLanes512 : IFloatLanes<Vector512<float>>
{
    public static int Count => 16;

    public static int BlockRows(int elementBytes, int m) => 8;

    public static int BlockWRows(int blockRows) => 3;

    public static bool Prefetches => true;

    public static Vector512<float> Zero => Vector512<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> c) => Vector512.FusedMultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sums4(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d, float* destination)
    {
        destination[0] = Vector512.Sum(a); destination[1] = Vector512.Sum(b); destination[2] = Vector512.Sum(c); destination[3] = Vector512.Sum(d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadHalfInPlace(short* source) => HalfConversion.HalfBitsInPlace16(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadHalf(short* source) => HalfLanes.HalfToNormal16(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> LoadSBytes(sbyte* source) => Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.Load(source)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(byte* address) => Sse.Prefetch0(address);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DotBlock<TRow>(int blockRows, float* x, int vectorK, int k, byte* w0, byte* w1, byte* w2, float* s0, float* s1, float* s2, float* result, byte* ahead, int aheadStep)
        where TRow : struct, QuantizedMatMul.IRowFormat =>
        QuantizedMatMul.Dot8x3<TRow>(x, vectorK, k, w0, w1, w2, s0, s1, s2, result, ahead, aheadStep);
}

/// <summary>The AVX2 + FMA tier's lanes: 8 floats, summed as ((v0 + v1) + (v2 + v3)) + ((v4 + v5) + (v6 + v7)).</summary>
internal readonly unsafe struct FloatLanes256 : IFloatLanes<Vector256<float>>
{
    public static int Count => 8;

    public static int BlockRows(int elementBytes, int m) => 4;

    public static int BlockWRows(int blockRows) => 3;

    public static bool Prefetches => true;

    public static Vector256<float> Zero => Vector256<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> c) => Fma.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => HorizontalSums.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sums4(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d, float* destination) =>
        HorizontalSums.Each4(a, b, c, d).Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadHalfInPlace(short* source) => HalfLanes.HalfBitsInPlace8(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadHalf(short* source) => HalfLanes.HalfToNormal8(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> LoadSBytes(sbyte* source) => Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(byte* address) => Sse.Prefetch0(address);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DotBlock<TRow>(int blockRows, float* x, int vectorK, int k, byte* w0, byte* w1, byte* w2, float* s0, float* s1, float* s2, float* result, byte* ahead, int aheadStep)
        where TRow : struct, QuantizedMatMul.IRowFormat =>
        QuantizedMatMul.Dot4x3<TRow, FloatLanes256, Vector256<float>>(x, vectorK, k, w0, w1, w2, s0, s1, s2, result, ahead, aheadStep);
}

/// <summary>
/// The portable tier's lanes: 4 floats through the cross-platform Vector128 API only (SSE on x64, NEON on Arm64),
/// summed as (v0 + v1) + (v2 + v3).
/// </summary>
internal readonly unsafe struct FloatLanes128 : IFloatLanes<Vector128<float>>
{
    public static int Count => 4;

    // Four rows of X by three of W where multiply-add is one instruction (Arm64). Where a product needs a register of
    // its own (x64 without FMA) the block must fit SSE's sixteen with one more: three by three (Dot3x3), or four by two
    // (Dot4x2), which serves four rows of X with each conversion of W: for rows converted in registers (f16, q8), unless
    // groups of three waste fewer padding rows (5, 6 or 9 rows of X); f32 rows, which convert nothing, keep 3×3.
    private static bool SeparateMultiplyAdd => !Fma.IsSupported && Sse.IsSupported;

    public static int BlockRows(int elementBytes, int m) =>
        !SeparateMultiplyAdd ? 4
        : elementBytes == sizeof(float) || (m + 2) / 3 * 3 < (m + 3) / 4 * 4 ? 3
        : 4;

    public static int BlockWRows(int blockRows) => SeparateMultiplyAdd && blockRows == 4 ? 2 : 3;

    // x64's prefetch hints are SSE, which every x64 CPU has, so the portable tier keeps them there; .NET exposes no
    // prefetch on Arm64, where the loops are dropped.
    public static bool Prefetches => Sse.IsSupported;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    // Vector128.FusedMultiplyAdd is emulated element by element where the CPU has no FMA (x64 with AVX2 off), so the
    // portable tier takes whichever is fast: fused on Arm64 (and x64 with FMA), separate multiply and add elsewhere.
    // Either way one machine always gives the same result.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => (value.GetElement(0) + value.GetElement(1)) + (value.GetElement(2) + value.GetElement(3));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Sums4(Vector128<float> a, Vector128<float> b, Vector128<float> c, Vector128<float> d, float* destination)
    {
        destination[0] = Sum(a); destination[1] = Sum(b); destination[2] = Sum(c); destination[3] = Sum(d);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadHalfInPlace(short* source) => HalfLanes.HalfBitsInPlace4(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadHalf(short* source) => HalfLanes.HalfToNormal4(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadSBytes(sbyte* source)
    {
        Vector128<short> bytes = Vector128.WidenLower(Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<int>(source)).AsSByte());
        return Vector128.ConvertToSingle(Vector128.WidenLower(bytes));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(byte* address)
    {
        if (Sse.IsSupported) Sse.Prefetch0(address);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void DotBlock<TRow>(int blockRows, float* x, int vectorK, int k, byte* w0, byte* w1, byte* w2, float* s0, float* s1, float* s2, float* result, byte* ahead, int aheadStep)
        where TRow : struct, QuantizedMatMul.IRowFormat
    {
        if (blockRows == 3) QuantizedMatMul.Dot3x3<TRow, FloatLanes128, Vector128<float>>(x, vectorK, k, w0, w1, w2, s0, s1, s2, result, ahead, aheadStep);
        else if (BlockWRows(blockRows) == 2) QuantizedMatMul.Dot4x2<TRow, FloatLanes128, Vector128<float>>(x, vectorK, k, w0, w1, s0, s1, result, ahead, aheadStep);
        else QuantizedMatMul.Dot4x3<TRow, FloatLanes128, Vector128<float>>(x, vectorK, k, w0, w1, w2, s0, s1, s2, result, ahead, aheadStep);
    }
}
