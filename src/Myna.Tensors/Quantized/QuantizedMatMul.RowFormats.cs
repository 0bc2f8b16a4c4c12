using System.Runtime.CompilerServices;

namespace Myna.Tensors.Quantized;

/// <summary>
/// How the f32-activation kernels of <see cref="QuantizedMatMul"/> read a stored row of W: one tier's vector of weights
/// at a time as floats, or one for a scalar tail. Every format gives exactly the f32 value of the weight (f16 → f32 is
/// exact, q8 is (float)q · d), so one generic kernel computes the same dot product for every format.
/// </summary>
public static unsafe partial class QuantizedMatMul
{
    /// <summary>How the kernel reads <c>TLanes.Count</c> consecutive weights of one stored row as floats.</summary>
    internal interface IRowFormat
    {
        static abstract int ElementBytes { get; }

        static abstract TVec Load<TLanes, TVec>(byte* row, float* scales, int i)
            where TLanes : struct, IFloatLanes<TVec>
            where TVec : struct;

        static abstract float Load1(byte* row, float* scales, int i);
    }

    private readonly struct F32Row : IRowFormat
    {
        public static int ElementBytes => 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Load<TLanes, TVec>(byte* row, float* scales, int i)
            where TLanes : struct, IFloatLanes<TVec>
            where TVec : struct => TLanes.Load((float*)row + i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* row, float* scales, int i) => ((float*)row)[i];
    }

    /// <summary>
    /// f16 against X pre-multiplied by <typeparamref name="TStorage"/>'s in-place factor (see <c>TryRebias</c>): the
    /// shifted half bits times that factor are the weight exactly, so each product is the same real number.
    /// </summary>
    private readonly struct RebiasedF16Row<TStorage> : IRowFormat
        where TStorage : struct, IHalfStorage
    {
        public static int ElementBytes => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Load<TLanes, TVec>(byte* row, float* scales, int i)
            where TLanes : struct, IFloatLanes<TVec>
            where TVec : struct => TLanes.LoadHalfInPlace((short*)row + i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* row, float* scales, int i) => F16Row<TStorage>.Load1(row, scales, i);
    }

    private readonly struct F16Row<TStorage> : IRowFormat
        where TStorage : struct, IHalfStorage
    {
        public static int ElementBytes => 2;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Load<TLanes, TVec>(byte* row, float* scales, int i)
            where TLanes : struct, IFloatLanes<TVec>
            where TVec : struct => TStorage.MayHoldSubnormals && HalfLanes.AvoidSubnormals
            ? TLanes.LoadHalf((short*)row + i)
            : TLanes.Multiply(TLanes.LoadHalfInPlace((short*)row + i), TLanes.Broadcast(TStorage.InPlaceFactor));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* row, float* scales, int i) => (float)BitConverter.Int16BitsToHalf(((short*)row)[i]) * TStorage.Unscale;
    }

    private readonly struct Q8Row : IRowFormat
    {
        public static int ElementBytes => 1;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static TVec Load<TLanes, TVec>(byte* row, float* scales, int i)
            where TLanes : struct, IFloatLanes<TVec>
            where TVec : struct => TLanes.Multiply(TLanes.LoadSBytes((sbyte*)row + i), TLanes.Broadcast(scales[i >> 5]));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* row, float* scales, int i) => ((sbyte*)row)[i] * scales[i >> 5];
    }
}
