using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Myna.Tensors;

/// <summary>
/// The portable tier's lanes: 4 floats in a Vector128, through the cross-platform API only (SSE on x64, NEON on
/// Arm64), so this tier runs wherever .NET does.
/// </summary>
internal readonly unsafe struct Lanes128 : ISimdLanes<Vector128<float>>
{
    public static SimdTier Tier => SimdTier.Portable;

    public static int RowsPerBatch => 8;

    public static int Count => 4;

    public static Vector128<float> Zero => Vector128<float>.Zero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Create(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<float> value, float* destination) => value.Store(destination);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> LoadHalfInPlace(ushort* source) => HalfConversion.HalfBitsInPlace4((short*)source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Divide(Vector128<float> a, Vector128<float> b) => a / b;

    /// <inheritdoc/>
    public static Vector128<float> Sqrt(Vector128<float> x) => Vector128.Sqrt(x);

    // Vector128.FusedMultiplyAdd is emulated in software on x64 without FMA; the estimate fuses wherever that is free.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> c) => Vector128.MultiplyAddEstimate(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Exp(Vector128<float> x) => Vector128.Exp(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> x) => Vector128.Sum(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalMax(Vector128<float> x) => MathF.Max(MathF.Max(x[0], x[1]), MathF.Max(x[2], x[3]));

    // One Sum per register: a transpose in the cross-platform API costs more than the two pairwise adds it would save.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SumEach8(
        Vector128<float> v0, Vector128<float> v1, Vector128<float> v2, Vector128<float> v3, Vector128<float> v4, Vector128<float> v5, Vector128<float> v6, Vector128<float> v7,
        float scale, float* destination)
    {
        destination[0] = scale * Vector128.Sum(v0);
        destination[1] = scale * Vector128.Sum(v1);
        destination[2] = scale * Vector128.Sum(v2);
        destination[3] = scale * Vector128.Sum(v3);
        destination[4] = scale * Vector128.Sum(v4);
        destination[5] = scale * Vector128.Sum(v5);
        destination[6] = scale * Vector128.Sum(v6);
        destination[7] = scale * Vector128.Sum(v7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(void* address)
    {
        // The cross-platform API has no prefetch hint; the hardware prefetchers see these sequential streams anyway.
    }
}
