namespace Myna.Tensors.Quantized;

/// <summary>
/// How an f16 <see cref="QuantizedMatrix"/> holds its halves: each weight's half-precision value as is
/// (<see cref="PlainHalves"/>), or that value times 2^10 (<see cref="PrescaledHalves"/>), which is exact and leaves no
/// subnormal half behind. The kernels read W by shifting each half's bits into a float (<see cref="HalfLanes"/>); a
/// subnormal half becomes a subnormal float there, and a multiply with a subnormal operand costs a microcode assist of
/// about a hundred cycles on Intel cores, and on AMD cores for SSE's separate multiply (the portable tier on x64; AMD's
/// FMA takes them at full speed). A trained matrix has a few subnormal halves per thousand, a vector holding one every
/// few dozen: measured on a Zen 5 with AVX off, GPT-2 124M shapes at f16, normal weights of σ 0.004 (GPT-2's residual
/// projections), 16.5 ms per batch-1 pass against 7.6 with no subnormal weight, and twice as slow at batch 8.
/// </summary>
/// <remarks>
/// A half is at least 2^-24 in magnitude unless zero, so times 2^10 it is at least 2^-14, the smallest normal half; and
/// the scaling is exact as long as it does not overflow, i.e. for matrices whose halves are all below 64 in magnitude
/// (every GPT-2 projection by far). Those are stored prescaled; any other matrix (or one holding an infinity or NaN)
/// keeps its halves plain. The products are the same either way: the kernels undo the scale in the same exact
/// power-of-two factor that turns shifted bits into the weight, so a matrix gives bit-identical results in both forms.
/// </remarks>
internal interface IHalfStorage
{
    /// <summary>What a half's bits shifted into a float (<see cref="IFloatLanes{TVec}.LoadHalfInPlace"/>) are multiplied by to give the weight: 2^112, or 2^102 for prescaled halves.</summary>
    static abstract float InPlaceFactor { get; }

    /// <summary>What the stored half's value is multiplied by to give the weight: 1, or 2^-10.</summary>
    static abstract float Unscale { get; }

    /// <summary>Whether a stored half can be subnormal (only plain halves can).</summary>
    static abstract bool MayHoldSubnormals { get; }
}

/// <summary>Halves stored as the weights' half-precision values.</summary>
internal readonly struct PlainHalves : IHalfStorage
{
    public static float InPlaceFactor => HalfConversion.InPlaceScale;

    public static float Unscale => 1f;

    public static bool MayHoldSubnormals => true;
}

/// <summary>Halves stored as the weights' half-precision values times 2^<see cref="QuantizedMatrix.HalfPrescaleExponent"/>: never subnormal.</summary>
internal readonly struct PrescaledHalves : IHalfStorage
{
    // 2^(112 − 10) and 2^−10, written out so they are constants the JIT folds (a test checks them against MathF.ScaleB).
    public static float InPlaceFactor => 5070602400912917605986812821504f;

    public static float Unscale => 0.0009765625f;

    public static bool MayHoldSubnormals => false;
}
