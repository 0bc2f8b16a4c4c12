using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Myna.Tensors;

/// <summary>
/// Small SIMD building blocks shared by the kernels (dot product, axpy, sums over one contiguous row).
/// Each dispatches widest-first: Vector512 where AVX-512 is present, else the hardware-sized
/// <see cref="Vector{T}"/> (256-bit with AVX2, 128-bit on Arm64 NEON), then a scalar tail.
/// </summary>
internal static class KernelSimd
{
    /// <summary>Returns Σ x[i]·y[i] over the length of <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> y)
    {
        int n = x.Length;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        int i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                acc = Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref rx, (nuint)i), Vector512.LoadUnsafe(ref ry, (nuint)i), acc);
            sum = Vector512.Sum(acc);
        }
        else if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                acc = Vector.FusedMultiplyAdd(Vector.LoadUnsafe(ref rx, (nuint)i), Vector.LoadUnsafe(ref ry, (nuint)i), acc);
            sum = Vector.Sum(acc);
        }
        for (; i < n; i++) sum += Unsafe.Add(ref rx, i) * Unsafe.Add(ref ry, i);
        return sum;
    }

    /// <summary>y[i] += a·x[i] over the length of <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void MultiplyAdd(float a, ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                Vector512.FusedMultiplyAdd(va, Vector512.LoadUnsafe(ref rx, (nuint)i), Vector512.LoadUnsafe(ref ry, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        }
        else if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                Vector.FusedMultiplyAdd(va, Vector.LoadUnsafe(ref rx, (nuint)i), Vector.LoadUnsafe(ref ry, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref ry, i) += a * Unsafe.Add(ref rx, i);
    }

    /// <summary>y[i] += x[i] over the length of <paramref name="x"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref float ry = ref MemoryMarshal.GetReference(y);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                (Vector512.LoadUnsafe(ref rx, (nuint)i) + Vector512.LoadUnsafe(ref ry, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        }
        else if (Vector.IsHardwareAccelerated)
        {
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                (Vector.LoadUnsafe(ref rx, (nuint)i) + Vector.LoadUnsafe(ref ry, (nuint)i)).StoreUnsafe(ref ry, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref ry, i) += Unsafe.Add(ref rx, i);
    }

    /// <summary>x[i] *= a over the whole span.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Scale(Span<float> x, float a)
    {
        int n = x.Length;
        ref float rx = ref MemoryMarshal.GetReference(x);
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var va = Vector512.Create(a);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                (Vector512.LoadUnsafe(ref rx, (nuint)i) * va).StoreUnsafe(ref rx, (nuint)i);
        }
        else if (Vector.IsHardwareAccelerated)
        {
            var va = new Vector<float>(a);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                (Vector.LoadUnsafe(ref rx, (nuint)i) * va).StoreUnsafe(ref rx, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref rx, i) *= a;
    }

    /// <summary>Returns Σ x[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(ReadOnlySpan<float> x)
    {
        int n = x.Length;
        ref float rx = ref MemoryMarshal.GetReference(x);
        int i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var acc = Vector512<float>.Zero;
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count) acc += Vector512.LoadUnsafe(ref rx, (nuint)i);
            sum = Vector512.Sum(acc);
        }
        else if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var acc = Vector<float>.Zero;
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count) acc += Vector.LoadUnsafe(ref rx, (nuint)i);
            sum = Vector.Sum(acc);
        }
        for (; i < n; i++) sum += Unsafe.Add(ref rx, i);
        return sum;
    }

    /// <summary>Returns the largest element (the span must not be empty; NaNs are not propagated reliably).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(ReadOnlySpan<float> x)
    {
        int n = x.Length;
        ref float rx = ref MemoryMarshal.GetReference(x);
        int i = 0;
        float max = float.NegativeInfinity;
        // MaxNative is the plain vmaxps: IEEE-exact handling of NaN and ±0 is not needed for a softmax shift.
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var acc = Vector512.Create(float.NegativeInfinity);
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count) acc = Vector512.MaxNative(acc, Vector512.LoadUnsafe(ref rx, (nuint)i));
            var half = Vector256.MaxNative(acc.GetLower(), acc.GetUpper());
            max = HorizontalMax(Vector128.MaxNative(half.GetLower(), half.GetUpper()));
        }
        else if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var acc = new Vector<float>(float.NegativeInfinity);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count) acc = Vector.MaxNative(acc, Vector.LoadUnsafe(ref rx, (nuint)i));
            for (int l = 0; l < Vector<float>.Count; l++) max = MathF.Max(max, acc[l]);
        }
        for (; i < n; i++) max = MathF.Max(max, Unsafe.Add(ref rx, i));
        return max;
    }

    private static float HorizontalMax(Vector128<float> v) => MathF.Max(MathF.Max(v[0], v[1]), MathF.Max(v[2], v[3]));

    /// <summary>Replaces every x[i] with exp(x[i] − shift) and returns the sum of the new values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ExpShiftedInPlace(Span<float> x, float shift)
    {
        int n = x.Length;
        ref float rx = ref MemoryMarshal.GetReference(x);
        int i = 0;
        float sum = 0f;
        if (Vector512.IsHardwareAccelerated && n >= Vector512<float>.Count)
        {
            var vs = Vector512.Create(shift);
            var acc = Vector512<float>.Zero;
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var e = Vector512.Exp(Vector512.LoadUnsafe(ref rx, (nuint)i) - vs);
                e.StoreUnsafe(ref rx, (nuint)i);
                acc += e;
            }
            sum = Vector512.Sum(acc);
        }
        else if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            var vs = new Vector<float>(shift);
            var acc = Vector<float>.Zero;
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var e = Vector.Exp(Vector.LoadUnsafe(ref rx, (nuint)i) - vs);
                e.StoreUnsafe(ref rx, (nuint)i);
                acc += e;
            }
            sum = Vector.Sum(acc);
        }
        for (; i < n; i++)
        {
            float e = MathF.Exp(Unsafe.Add(ref rx, i) - shift);
            Unsafe.Add(ref rx, i) = e;
            sum += e;
        }
        return sum;
    }

    /// <summary>
    /// y = Σ_r weights[r] · rows[r·stride .. r·stride + y.Length) (assigned). Blocks of y stay in registers across all
    /// rows, so the sum is FMA-bound rather than bound by storing and reloading y for every row.
    /// </summary>
    public static unsafe void WeightedRowSum(Span<float> y, ReadOnlySpan<float> weights, float* rows, long stride)
    {
        int n = y.Length, count = weights.Length;
        int i = 0;
        fixed (float* py = y, pw = weights)
        {
            if (Vector512.IsHardwareAccelerated)
            {
                for (; i <= n - 64; i += 64)
                {
                    Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
                    for (int r = 0; r < count; r++)
                    {
                        var w = Vector512.Create(pw[r]);
                        float* row = rows + r * stride + i;
                        a0 = Vector512.FusedMultiplyAdd(w, Vector512.Load(row), a0);
                        a1 = Vector512.FusedMultiplyAdd(w, Vector512.Load(row + 16), a1);
                        a2 = Vector512.FusedMultiplyAdd(w, Vector512.Load(row + 32), a2);
                        a3 = Vector512.FusedMultiplyAdd(w, Vector512.Load(row + 48), a3);
                    }
                    a0.Store(py + i);
                    a1.Store(py + i + 16);
                    a2.Store(py + i + 32);
                    a3.Store(py + i + 48);
                }
                for (; i <= n - 16; i += 16)
                {
                    Vector512<float> a0 = default;
                    for (int r = 0; r < count; r++) a0 = Vector512.FusedMultiplyAdd(Vector512.Create(pw[r]), Vector512.Load(rows + r * stride + i), a0);
                    a0.Store(py + i);
                }
            }
            else if (Vector.IsHardwareAccelerated)
            {
                int width = Vector<float>.Count;
                for (; i <= n - 4 * width; i += 4 * width)
                {
                    Vector<float> a0 = default, a1 = default, a2 = default, a3 = default;
                    for (int r = 0; r < count; r++)
                    {
                        var w = new Vector<float>(pw[r]);
                        float* row = rows + r * stride + i;
                        a0 = Vector.FusedMultiplyAdd(w, Vector.Load(row), a0);
                        a1 = Vector.FusedMultiplyAdd(w, Vector.Load(row + width), a1);
                        a2 = Vector.FusedMultiplyAdd(w, Vector.Load(row + 2 * width), a2);
                        a3 = Vector.FusedMultiplyAdd(w, Vector.Load(row + 3 * width), a3);
                    }
                    a0.Store(py + i);
                    a1.Store(py + i + width);
                    a2.Store(py + i + 2 * width);
                    a3.Store(py + i + 3 * width);
                }
                for (; i <= n - width; i += width)
                {
                    Vector<float> a0 = default;
                    for (int r = 0; r < count; r++) a0 = Vector.FusedMultiplyAdd(new Vector<float>(pw[r]), Vector.Load(rows + r * stride + i), a0);
                    a0.Store(py + i);
                }
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
