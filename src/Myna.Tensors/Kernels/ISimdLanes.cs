namespace Myna.Tensors;

/// <summary>
/// The vector operations one <see cref="SimdTier"/> offers, so a kernel is written once as a generic method over
/// <c>TLanes</c> and instantiated per tier (<see cref="Lanes512"/>, <see cref="Lanes256"/>, <see cref="Lanes128"/>),
/// the way TensorPrimitives writes its operators. Every member is a static call on a struct, so the JIT specialises the
/// kernel for each tier and inlines the operations: no indirection is left in the compiled loop.
/// </summary>
/// <typeparam name="TVector">The register type: Vector512, Vector256 or Vector128 of float.</typeparam>
internal unsafe interface ISimdLanes<TVector> where TVector : struct
{
    /// <summary>The tier these lanes implement.</summary>
    static abstract SimdTier Tier { get; }

    /// <summary>Floats per register.</summary>
    static abstract int Count { get; }

    /// <summary>
    /// Rows a kernel that streams rows against one register-resident vector should take per batch: 16 where 32
    /// registers hold 16 accumulators (AVX-512; the shared operand is then reloaded once per 16 rows, which matters where
    /// one 64-byte load per cycle is the limit), else 8.
    /// </summary>
    static abstract int RowsPerBatch { get; }

    /// <summary>All lanes zero.</summary>
    static abstract TVector Zero { get; }

    /// <summary>All lanes <paramref name="value"/>.</summary>
    static abstract TVector Create(float value);

    /// <summary>Loads <see cref="Count"/> floats (any alignment).</summary>
    static abstract TVector Load(float* source);

    /// <summary>Stores <see cref="Count"/> floats (any alignment).</summary>
    static abstract void Store(TVector value, float* destination);

    /// <summary>
    /// <see cref="Count"/> half-precision bit patterns as floats scaled by 2^-112, exactly (the bits moved into place,
    /// no multiply): for kernels that scale the other factor by 2^112 instead.
    /// </summary>
    static abstract TVector LoadHalfInPlace(ushort* source);

    /// <summary>a + b.</summary>
    static abstract TVector Add(TVector a, TVector b);

    /// <summary>a − b.</summary>
    static abstract TVector Subtract(TVector a, TVector b);

    /// <summary>a · b.</summary>
    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary>a / b.</summary>
    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>Per-lane square root, correctly rounded.</summary>
    static abstract TVector Sqrt(TVector x);

    /// <summary>
    /// a · b + c: fused (one rounding) on the AVX tiers; on the portable tier whatever the hardware does fastest
    /// (fused on NEON and on x64 with FMA, two roundings on plain SSE, where a fused one would be emulated in software).
    /// </summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>The lane-wise maximum as the hardware computes it (NaN and ±0 are not ordered reliably).</summary>
    static abstract TVector Max(TVector a, TVector b);

    /// <summary>e^x per lane.</summary>
    static abstract TVector Exp(TVector x);

    /// <summary>The sum of the lanes.</summary>
    static abstract float Sum(TVector x);

    /// <summary>The largest lane.</summary>
    static abstract float HorizontalMax(TVector x);

    /// <summary>
    /// destination[i] = scale · (the sum of the lanes of the i-th argument), for 8 registers at once. Each sum depends
    /// only on its own register and its slot never changes how it is added up.
    /// </summary>
    static abstract void SumEach8(TVector v0, TVector v1, TVector v2, TVector v3, TVector v4, TVector v5, TVector v6, TVector v7, float scale, float* destination);

    /// <summary>Asks for the cache line holding <paramref name="address"/> ahead of its use (nothing where the tier has no such hint).</summary>
    static abstract void Prefetch(void* address);
}
