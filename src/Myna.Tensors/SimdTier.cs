namespace Myna.Tensors;

/// <summary>
/// The instruction-set tier a kernel runs at. Every fast path in Myna has one implementation per tier, and the process
/// picks the best the CPU offers once, at start-up (<see cref="SimdTiers.Current"/>).
/// </summary>
public enum SimdTier
{
    /// <summary>Vector128 / <see cref="System.Numerics.Vector{T}"/>: SSE on any x64, NEON on Arm64.</summary>
    Portable,

    /// <summary>Vector256 with AVX2 + FMA (F16C-class conversion done in integer SIMD).</summary>
    Avx2,

    /// <summary>Vector512 with AVX-512 F/BW (and AVX-VNNI for int8 when present).</summary>
    Avx512,
}
