namespace Myna.Tensors;

/// <summary>Which micro-kernel the packed GEMM runs; chosen once per process (override: <c>MYNA_GEMM_KERNEL</c>).</summary>
internal enum GemmKernelKind
{
    /// <summary><see cref="System.Numerics.Vector{T}"/>, any hardware.</summary>
    Portable,

    /// <summary>Vector256 with AVX2 + FMA.</summary>
    Avx2,

    /// <summary>Vector512 with AVX-512F.</summary>
    Avx512,
}
