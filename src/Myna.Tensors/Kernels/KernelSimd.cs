using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Myna.Tensors;

/// <summary>
/// Small SIMD building blocks shared by the kernels (dot product, axpy, sums over one contiguous row), at the process's
/// <see cref="SimdTier"/> or an explicit one. Each is written once over <see cref="ISimdLanes{TVector}"/>: Vector512 at
/// the AVX-512 tier, Vector256 at the AVX2 tier, Vector128 at the portable tier, then a scalar tail.
/// </summary>
/// <remarks>
/// At the AVX-512 tier the reductions over fewer than 16 values (Dot, Sum, Max, ExpShiftedInPlace) take one Vector256
/// step, as they did when the fallback was the 256-bit <c>Vector&lt;T&gt;</c>: the training path's results stay bit for
/// bit what they were.
/// </remarks>
internal static unsafe class KernelSimd
{
    private static readonly SimdTier Tier = SimdTiers.Current;

    /// <summary>Returns Σ x[i]·y[i] over the length of <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y) => Dot(x, y, Tier);

    /// <inheritdoc cref="Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y, SimdTier tier) => tier switch
    {
        SimdTier.Avx512 when x.Length >= 16 => Dot<Lanes512, Vector512<float>>(x, y),
        SimdTier.Avx512 or SimdTier.Avx2 => Dot<Lanes256, Vector256<float>>(x, y),
        _ => Dot<Lanes128, Vector128<float>>(x, y),
    };

    /// <summary>y[i] += a·x[i] over the length of <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(float a, ReadOnlySpan<float> x, Span<float> y) => MultiplyAdd(a, x, y, Tier);

    /// <inheritdoc cref="MultiplyAdd(float, ReadOnlySpan{float}, Span{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(float a, ReadOnlySpan<float> x, Span<float> y, SimdTier tier)
    {
        switch (tier)
        {
            case SimdTier.Avx512: MultiplyAdd<Lanes512, Vector512<float>>(a, x, y); break;
            case SimdTier.Avx2: MultiplyAdd<Lanes256, Vector256<float>>(a, x, y); break;
            default: MultiplyAdd<Lanes128, Vector128<float>>(a, x, y); break;
        }
    }

    /// <summary>y[i] += x[i] over the length of <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ReadOnlySpan<float> x, Span<float> y) => Add(x, y, Tier);

    /// <inheritdoc cref="Add(ReadOnlySpan{float}, Span{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ReadOnlySpan<float> x, Span<float> y, SimdTier tier)
    {
        switch (tier)
        {
            case SimdTier.Avx512: Add<Lanes512, Vector512<float>>(x, y); break;
            case SimdTier.Avx2: Add<Lanes256, Vector256<float>>(x, y); break;
            default: Add<Lanes128, Vector128<float>>(x, y); break;
        }
    }

    /// <summary>x[i] *= a over the whole span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale(Span<float> x, float a) => Scale(x, a, Tier);

    /// <inheritdoc cref="Scale(Span{float}, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale(Span<float> x, float a, SimdTier tier)
    {
        switch (tier)
        {
            case SimdTier.Avx512: Scale<Lanes512, Vector512<float>>(x, a); break;
            case SimdTier.Avx2: Scale<Lanes256, Vector256<float>>(x, a); break;
            default: Scale<Lanes128, Vector128<float>>(x, a); break;
        }
    }

    /// <summary>Returns Σ x[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(ReadOnlySpan<float> x) => Sum(x, Tier);

    /// <inheritdoc cref="Sum(ReadOnlySpan{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(ReadOnlySpan<float> x, SimdTier tier) => tier switch
    {
        SimdTier.Avx512 when x.Length >= 16 => Sum<Lanes512, Vector512<float>>(x),
        SimdTier.Avx512 or SimdTier.Avx2 => Sum<Lanes256, Vector256<float>>(x),
        _ => Sum<Lanes128, Vector128<float>>(x),
    };

    /// <summary>Returns the largest element (the span must not be empty; NaNs are not propagated reliably).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(ReadOnlySpan<float> x) => Max(x, Tier);

    /// <inheritdoc cref="Max(ReadOnlySpan{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(ReadOnlySpan<float> x, SimdTier tier) => tier switch
    {
        SimdTier.Avx512 when x.Length >= 16 => Max<Lanes512, Vector512<float>>(x),
        SimdTier.Avx512 or SimdTier.Avx2 => Max<Lanes256, Vector256<float>>(x),
        _ => Max<Lanes128, Vector128<float>>(x),
    };

    /// <summary>Replaces every x[i] with exp(x[i] − shift) and returns the sum of the new values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ExpShiftedInPlace(Span<float> x, float shift) => ExpShiftedInPlace(x, shift, Tier);

    /// <inheritdoc cref="ExpShiftedInPlace(Span{float}, float)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ExpShiftedInPlace(Span<float> x, float shift, SimdTier tier) => tier switch
    {
        SimdTier.Avx512 when x.Length >= 16 => ExpShiftedInPlace<Lanes512, Vector512<float>>(x, shift),
        SimdTier.Avx512 or SimdTier.Avx2 => ExpShiftedInPlace<Lanes256, Vector256<float>>(x, shift),
        _ => ExpShiftedInPlace<Lanes128, Vector128<float>>(x, shift),
    };

    /// <summary>
    /// y = Σ_r weights[r] · rows[r·stride .. r·stride + y.Length) (assigned). Blocks of y stay in registers across all
    /// rows, so the sum is FMA-bound rather than bound by storing and reloading y for every row.
    /// </summary>
    public static void WeightedRowSum(Span<float> y, ReadOnlySpan<float> weights, float* rows, long stride) => WeightedRowSum(y, weights, rows, stride, Tier);

    /// <inheritdoc cref="WeightedRowSum(Span{float}, ReadOnlySpan{float}, float*, long)"/>
    public static void WeightedRowSum(Span<float> y, ReadOnlySpan<float> weights, float* rows, long stride, SimdTier tier)
    {
        switch (tier)
        {
            case SimdTier.Avx512: WeightedRowSum<Lanes512, Vector512<float>>(y, weights, rows, stride); break;
            case SimdTier.Avx2: WeightedRowSum<Lanes256, Vector256<float>>(y, weights, rows, stride); break;
            default: WeightedRowSum<Lanes128, Vector128<float>>(y, weights, rows, stride); break;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot<TLanes, TVector>(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        int n = x.Length, i = 0;
        float sum = 0f;
        fixed (float* px = x, py = y)
        {
            if (n >= TLanes.Count)
            {
                TVector acc = TLanes.Zero;
                for (; i <= n - TLanes.Count; i += TLanes.Count) acc = TLanes.MultiplyAdd(TLanes.Load(px + i), TLanes.Load(py + i), acc);
                sum = TLanes.Sum(acc);
            }
            for (; i < n; i++) sum += px[i] * py[i];
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAdd<TLanes, TVector>(float a, ReadOnlySpan<float> x, Span<float> y)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        int n = x.Length, i = 0;
        fixed (float* px = x, py = y)
        {
            TVector va = TLanes.Create(a);
            for (; i <= n - TLanes.Count; i += TLanes.Count) TLanes.Store(TLanes.MultiplyAdd(va, TLanes.Load(px + i), TLanes.Load(py + i)), py + i);
            for (; i < n; i++) py[i] += a * px[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add<TLanes, TVector>(ReadOnlySpan<float> x, Span<float> y)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        int n = x.Length, i = 0;
        fixed (float* px = x, py = y)
        {
            for (; i <= n - TLanes.Count; i += TLanes.Count) TLanes.Store(TLanes.Add(TLanes.Load(px + i), TLanes.Load(py + i)), py + i);
            for (; i < n; i++) py[i] += px[i];
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Scale<TLanes, TVector>(Span<float> x, float a)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        int n = x.Length, i = 0;
        fixed (float* px = x)
        {
            TVector va = TLanes.Create(a);
            for (; i <= n - TLanes.Count; i += TLanes.Count) TLanes.Store(TLanes.Multiply(TLanes.Load(px + i), va), px + i);
            for (; i < n; i++) px[i] *= a;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Sum<TLanes, TVector>(ReadOnlySpan<float> x)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        int n = x.Length, i = 0;
        float sum = 0f;
        fixed (float* px = x)
        {
            if (n >= TLanes.Count)
            {
                TVector acc = TLanes.Zero;
                for (; i <= n - TLanes.Count; i += TLanes.Count) acc = TLanes.Add(acc, TLanes.Load(px + i));
                sum = TLanes.Sum(acc);
            }
            for (; i < n; i++) sum += px[i];
        }
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Max<TLanes, TVector>(ReadOnlySpan<float> x)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        int n = x.Length, i = 0;
        float max = float.NegativeInfinity;
        fixed (float* px = x)
        {
            // The hardware max (vmaxps / fmax): IEEE-exact handling of NaN and ±0 is not needed for a softmax shift.
            if (n >= TLanes.Count)
            {
                TVector acc = TLanes.Create(float.NegativeInfinity);
                for (; i <= n - TLanes.Count; i += TLanes.Count) acc = TLanes.Max(acc, TLanes.Load(px + i));
                max = TLanes.HorizontalMax(acc);
            }
            for (; i < n; i++) max = MathF.Max(max, px[i]);
        }
        return max;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float ExpShiftedInPlace<TLanes, TVector>(Span<float> x, float shift)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        int n = x.Length, i = 0;
        float sum = 0f;
        fixed (float* px = x)
        {
            if (n >= TLanes.Count)
            {
                TVector vs = TLanes.Create(shift);
                TVector acc = TLanes.Zero;
                for (; i <= n - TLanes.Count; i += TLanes.Count)
                {
                    TVector e = TLanes.Exp(TLanes.Subtract(TLanes.Load(px + i), vs));
                    TLanes.Store(e, px + i);
                    acc = TLanes.Add(acc, e);
                }
                sum = TLanes.Sum(acc);
            }
            for (; i < n; i++)
            {
                float e = MathF.Exp(px[i] - shift);
                px[i] = e;
                sum += e;
            }
        }
        return sum;
    }

    private static void WeightedRowSum<TLanes, TVector>(Span<float> y, ReadOnlySpan<float> weights, float* rows, long stride)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        int n = y.Length, count = weights.Length, width = TLanes.Count;
        int i = 0;
        fixed (float* py = y, pw = weights)
        {
            for (; i <= n - 4 * width; i += 4 * width)
            {
                TVector a0 = TLanes.Zero, a1 = TLanes.Zero, a2 = TLanes.Zero, a3 = TLanes.Zero;
                for (int r = 0; r < count; r++)
                {
                    TVector w = TLanes.Create(pw[r]);
                    float* row = rows + r * stride + i;
                    a0 = TLanes.MultiplyAdd(w, TLanes.Load(row), a0);
                    a1 = TLanes.MultiplyAdd(w, TLanes.Load(row + width), a1);
                    a2 = TLanes.MultiplyAdd(w, TLanes.Load(row + 2 * width), a2);
                    a3 = TLanes.MultiplyAdd(w, TLanes.Load(row + 3 * width), a3);
                }
                TLanes.Store(a0, py + i);
                TLanes.Store(a1, py + i + width);
                TLanes.Store(a2, py + i + 2 * width);
                TLanes.Store(a3, py + i + 3 * width);
            }
            for (; i <= n - width; i += width)
            {
                TVector a0 = TLanes.Zero;
                for (int r = 0; r < count; r++) a0 = TLanes.MultiplyAdd(TLanes.Create(pw[r]), TLanes.Load(rows + r * stride + i), a0);
                TLanes.Store(a0, py + i);
            }
            for (; i < n; i++)
            {
                float sum = 0f;
                for (int r = 0; r < count; r++) sum += pw[r] * rows[r * stride + i];
                py[i] = sum;
            }
        }
    }
}
