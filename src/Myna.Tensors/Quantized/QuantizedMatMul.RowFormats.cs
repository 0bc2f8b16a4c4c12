using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Myna.Tensors.Quantized;

/// <summary>
/// How the f32-activation kernels of <see cref="QuantizedMatMul"/> read a stored row of W: 16 weights at a time as
/// floats, or one for a scalar tail. Every format gives exactly the f32 value of the weight (f16 → f32 is exact, q8 is
/// (float)q · d), so one generic kernel computes the same dot product for every format.
/// </summary>
public static unsafe partial class QuantizedMatMul
{
    /// <summary>How the kernel reads 16 consecutive weights of one stored row as floats.</summary>
    private interface IRowFormat
    {
        static abstract int ElementBytes { get; }

        static abstract Vector512<float> Load16(byte* row, float* scales, int i);

        static abstract float Load1(byte* row, float* scales, int i);
    }

    private readonly struct F32Row : IRowFormat
    {
        public static int ElementBytes => 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load16(byte* row, float* scales, int i) => Vector512.Load((float*)row + i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* row, float* scales, int i) => ((float*)row)[i];
    }

    /// <summary>f16 against X pre-multiplied by 2^112 (see <c>TryRebias</c>): the shifted half bits are the weight times 2^-112 exactly.</summary>
    private readonly struct RebiasedF16Row : IRowFormat
    {
        public static int ElementBytes => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load16(byte* row, float* scales, int i) => HalfConversion.HalfBitsInPlace16((short*)row + i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* row, float* scales, int i) => (float)BitConverter.Int16BitsToHalf(((short*)row)[i]);
    }

    private readonly struct F16Row : IRowFormat
    {
        public static int ElementBytes => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load16(byte* row, float* scales, int i) => HalfConversion.HalfToSingle16((short*)row + i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* row, float* scales, int i) => (float)BitConverter.Int16BitsToHalf(((short*)row)[i]);
    }

    private readonly struct Q8Row : IRowFormat
    {
        public static int ElementBytes => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load16(byte* row, float* scales, int i) => Q8x16((sbyte*)row + i, scales[i >> 5]);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* row, float* scales, int i) => ((sbyte*)row)[i] * scales[i >> 5];
    }

}
