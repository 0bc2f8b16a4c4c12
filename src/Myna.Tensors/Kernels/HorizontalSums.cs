using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Myna.Tensors;

/// <summary>
/// The horizontal sums of many Vector512s at once, each bit for bit what <see cref="Vector512.Sum{T}(Vector512{T})"/>
/// gives (the same pairing tree: adjacent lanes, then pairs of those, then quarters, then halves), for about a tenth
/// of the instructions of summing them one by one. Kernels that reduce several accumulators use it and stay
/// bit-identical with kernels that reduce one. The Vector512 forms require AVX-512; the Vector256 forms (the AVX2 tier's
/// own tree, <see cref="Sum(Vector256{float})"/>) require AVX.
/// </summary>
internal static class HorizontalSums
{
    /// <summary>
    /// Per 128-bit lane L: the sums of lanes 4L..4L+3 of a, b, c and d, each as ((x0 + x1) + (x2 + x3)) — the first two
    /// levels of the tree <see cref="Vector512.Sum{T}(Vector512{T})"/> adds in.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> QuarterSums(Vector512<float> a, Vector512<float> b, Vector512<float> c, Vector512<float> d)
    {
        var ab = Avx512F.Shuffle(a, b, 0b10_00_10_00) + Avx512F.Shuffle(a, b, 0b11_01_11_01);
        var cd = Avx512F.Shuffle(c, d, 0b10_00_10_00) + Avx512F.Shuffle(c, d, 0b11_01_11_01);
        return Avx512F.Shuffle(ab, cd, 0b10_00_10_00) + Avx512F.Shuffle(ab, cd, 0b11_01_11_01);
    }

    /// <summary>The sums of 16 vectors, bit for bit what <see cref="Vector512.Sum{T}(Vector512{T})"/> gives each: ((q0 + q1) + (q2 + q3)) over their quarter sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Each16(
        Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3, Vector512<float> v4, Vector512<float> v5, Vector512<float> v6, Vector512<float> v7,
        Vector512<float> v8, Vector512<float> v9, Vector512<float> v10, Vector512<float> v11, Vector512<float> v12, Vector512<float> v13, Vector512<float> v14, Vector512<float> v15)
    {
        Vector512<float> q0 = QuarterSums(v0, v1, v2, v3), q1 = QuarterSums(v4, v5, v6, v7), q2 = QuarterSums(v8, v9, v10, v11), q3 = QuarterSums(v12, v13, v14, v15);
        var halves01 = Avx512F.Shuffle4x128(q0, q1, 0b10_00_10_00) + Avx512F.Shuffle4x128(q0, q1, 0b11_01_11_01);
        var halves23 = Avx512F.Shuffle4x128(q2, q3, 0b10_00_10_00) + Avx512F.Shuffle4x128(q2, q3, 0b11_01_11_01);
        return Avx512F.Shuffle4x128(halves01, halves23, 0b10_00_10_00) + Avx512F.Shuffle4x128(halves01, halves23, 0b11_01_11_01);
    }

    /// <summary>The sums of 8 vectors in the same pairing as <see cref="Each16"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Each8(
        Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3, Vector512<float> v4, Vector512<float> v5, Vector512<float> v6, Vector512<float> v7)
    {
        Vector512<float> q0 = QuarterSums(v0, v1, v2, v3), q1 = QuarterSums(v4, v5, v6, v7);
        var halves = Avx512F.Shuffle4x128(q0, q1, 0b10_00_10_00) + Avx512F.Shuffle4x128(q0, q1, 0b11_01_11_01);
        return (Avx512F.Shuffle4x128(halves, halves, 0b10_00_10_00) + Avx512F.Shuffle4x128(halves, halves, 0b11_01_11_01)).GetLower();
    }

    /// <summary>
    /// The AVX2 tier's sum of 8 lanes, ((v0 + v1) + (v2 + v3)) + ((v4 + v5) + (v6 + v7)): the tree two horizontal adds
    /// build, so <see cref="Each4"/> reduces four vectors at once in the same pairing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> v)
    {
        var pairs = Avx.HorizontalAdd(v, v);
        var quads = Avx.HorizontalAdd(pairs, pairs);
        return quads.ToScalar() + quads.GetUpper().ToScalar();
    }

    /// <summary>The sums of 4 vectors of 8, each bit for bit what <see cref="Sum(Vector256{float})"/> gives.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Each4(Vector256<float> a, Vector256<float> b, Vector256<float> c, Vector256<float> d)
    {
        // Per 128-bit half: [a01, a23, b01, b23], then [a0123, b0123, c0123, d0123]; the halves added last.
        var quads = Avx.HorizontalAdd(Avx.HorizontalAdd(a, b), Avx.HorizontalAdd(c, d));
        return quads.GetLower() + quads.GetUpper();
    }
}
