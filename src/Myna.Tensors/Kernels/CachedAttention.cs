using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Myna.Tensors;

/// <summary>
/// Attention for incremental decoding: each query row attends over its own run of cached keys and values.
/// N query rows, C channels, NH heads, hs = C / NH, n_ctx the cache's positions per sequence.
/// </summary>
/// <remarks>
/// The cache is laid out (sequences, NH, n_ctx, hs): one head's keys of one sequence are contiguous, so a query streams
/// them front to back instead of picking 2·hs bytes out of every C-wide row. Row i's query is the first C values of
/// <c>qkv</c> row i (stride 3C, as one C → 3C projection writes it); its keys and values are the first
/// <c>length[i]</c> positions of the sequence block starting at <c>cacheStart[i]</c> (a multiple of NH·n_ctx·hs).
/// Causality is the caller's: it passes only the positions a row may see. The cache holds f32 or, halving the bytes
/// every decode step reads, half-precision bits. Work is split over (row, head) pairs, each writing its own slice of
/// the output, so results do not depend on the thread count.
/// </remarks>
public static unsafe class CachedAttention
{
    private const int KeyPrefetchRows = 16; // keys are fetched this many rows ahead of the score being computed

    /// <summary>output (N, C) = softmax(q·Kᵀ/√hs)·V per row and head, over an f32 cache.</summary>
    /// <exception cref="ArgumentException">A dimension is not positive, C is not a multiple of NH, or a range falls outside its span.</exception>
    public static void Forward(
        Span<float> output, ReadOnlySpan<float> qkv, ReadOnlySpan<float> keys, ReadOnlySpan<float> values,
        ReadOnlySpan<int> cacheStart, ReadOnlySpan<int> length, int rows, int channels, int heads, int contextLength, Span<float> scores)
    {
        int longest = Validate(output, qkv, Math.Min(keys.Length, values.Length), cacheStart, length, rows, channels, heads, contextLength, scores);
        fixed (float* o = output, x = qkv, k = keys, v = values, s = scores)
        fixed (int* start = cacheStart, len = length)
        {
            var job = new Job<SingleCache>(o, x, k, v, s, start, len, channels, heads, contextLength, longest);
            ComputePool.Shared.For(rows * heads, job);
        }
    }

    /// <summary>output (N, C) = softmax(q·Kᵀ/√hs)·V per row and head, over a cache of half-precision bits.</summary>
    /// <exception cref="ArgumentException">A dimension is not positive, C is not a multiple of NH, or a range falls outside its span.</exception>
    public static void Forward(
        Span<float> output, ReadOnlySpan<float> qkv, ReadOnlySpan<ushort> keys, ReadOnlySpan<ushort> values,
        ReadOnlySpan<int> cacheStart, ReadOnlySpan<int> length, int rows, int channels, int heads, int contextLength, Span<float> scores)
    {
        int longest = Validate(output, qkv, Math.Min(keys.Length, values.Length), cacheStart, length, rows, channels, heads, contextLength, scores);
        fixed (float* o = output, x = qkv, s = scores)
        fixed (ushort* k = keys, v = values)
        fixed (int* start = cacheStart, len = length)
        {
            var job = new Job<HalfCache>(o, x, k, v, s, start, len, channels, heads, contextLength, longest);
            ComputePool.Shared.For(rows * heads, job);
        }
    }

    /// <summary>Checks the shapes; returns the longest row, which sizes each (row, head)'s slice of scores.</summary>
    private static int Validate(
        Span<float> output, ReadOnlySpan<float> qkv, long cacheLength, ReadOnlySpan<int> cacheStart, ReadOnlySpan<int> length,
        int rows, int channels, int heads, int contextLength, Span<float> scores)
    {
        if (rows < 0 || channels <= 0 || heads <= 0 || channels % heads != 0 || contextLength <= 0)
            throw new ArgumentException($"need rows ≥ 0, n_ctx > 0 and C ({channels}) a positive multiple of NH ({heads}).");
        if (output.Length < (long)rows * channels) throw new ArgumentException("output is shorter than (N, C).", nameof(output));
        if (qkv.Length < (long)rows * 3 * channels) throw new ArgumentException("qkv is shorter than (N, 3C).", nameof(qkv));
        if (cacheStart.Length < rows || length.Length < rows) throw new ArgumentException("cacheStart and length need one entry per row.");
        long block = (long)channels * contextLength;
        int longest = 0;
        for (int i = 0; i < rows; i++)
        {
            if (length[i] < 1 || length[i] > contextLength || cacheStart[i] < 0 || cacheStart[i] % block != 0 || cacheStart[i] + block > cacheLength)
                throw new ArgumentException($"row {i}: {length[i]} positions of the sequence block at {cacheStart[i]} are empty, misaligned or outside the cache.");
            longest = Math.Max(longest, length[i]);
        }
        if (scores.Length < (long)rows * heads * longest)
            throw new ArgumentException($"scores holds {scores.Length} values; N·NH·longest = {(long)rows * heads * longest} are needed.", nameof(scores));
        return longest;
    }

    /// <summary>How one element type of the cache turns into floats.</summary>
    private interface ICacheElement
    {
        static abstract int Bytes { get; }

        static abstract Vector512<float> Load16(byte* at);

        static abstract float Load1(byte* at);
    }

    private readonly struct SingleCache : ICacheElement
    {
        public static int Bytes => sizeof(float);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load16(byte* at) => Vector512.Load((float*)at);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* at) => *(float*)at;
    }

    private readonly struct HalfCache : ICacheElement
    {
        public static int Bytes => sizeof(ushort);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load16(byte* at) => HalfConversion.HalfToSingle16((short*)at);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* at) => (float)BitConverter.UInt16BitsToHalf(*(ushort*)at);
    }

    /// <summary>The four 16-lane partial products of a 64-value query with one key row (summed by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> KeyDot<T>(Vector512<float> q0, Vector512<float> q1, Vector512<float> q2, Vector512<float> q3, byte* key)
        where T : struct, ICacheElement
    {
        var acc = q0 * T.Load16(key);
        acc = Vector512.FusedMultiplyAdd(q1, T.Load16(key + 16 * T.Bytes), acc);
        acc = Vector512.FusedMultiplyAdd(q2, T.Load16(key + 32 * T.Bytes), acc);
        return Vector512.FusedMultiplyAdd(q3, T.Load16(key + 48 * T.Bytes), acc);
    }

    /// <summary>a += p · (one 64-value value row), in four 16-lane registers.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddWeightedValue<T>(float p, byte* value, ref Vector512<float> a0, ref Vector512<float> a1, ref Vector512<float> a2, ref Vector512<float> a3)
        where T : struct, ICacheElement
    {
        var weight = Vector512.Create(p);
        a0 = Vector512.FusedMultiplyAdd(weight, T.Load16(value), a0);
        a1 = Vector512.FusedMultiplyAdd(weight, T.Load16(value + 16 * T.Bytes), a1);
        a2 = Vector512.FusedMultiplyAdd(weight, T.Load16(value + 32 * T.Bytes), a2);
        a3 = Vector512.FusedMultiplyAdd(weight, T.Load16(value + 48 * T.Bytes), a3);
    }

    private sealed class Job<T>(float* output, float* qkv, void* keys, void* values, float* scores, int* cacheStart, int* length,
        int channels, int heads, int contextLength, int longest) : IComputeTask where T : struct, ICacheElement
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
        public void Run(int index)
        {
            int i = index / heads, h = index % heads, n = length[i], hs = channels / heads;
            long headStart = (cacheStart[i] + (long)h * contextLength * hs) * T.Bytes;
            byte* k = (byte*)keys + headStart, v = (byte*)values + headStart;
            float* q = qkv + (long)i * 3 * channels + h * hs;
            float* row = scores + (long)index * longest;
            float* y = output + (long)i * channels + h * hs;
            float scale = 1f / MathF.Sqrt(hs);
            long rowBytes = (long)hs * T.Bytes;
            bool vectorized = Vector512.IsHardwareAccelerated && Avx512F.IsSupported && hs == 64;

            // 1. Scaled scores and their maximum. Each block of keys also asks memory for keys further on and for the value
            //    rows pass 3 will read: the cache of a long context is read from DRAM every step, and waiting on each miss
            //    in turn, not the arithmetic, was what attention's time went to.
            float max = float.NegativeInfinity;
            if (vectorized)
            {
                var q0 = Vector512.Load(q); var q1 = Vector512.Load(q + 16); var q2 = Vector512.Load(q + 32); var q3 = Vector512.Load(q + 48);
                int j = 0;
                // Sixteen keys at a time, their dot products summed together (HorizontalSums gives each exactly the
                // Vector512.Sum of the one-key loop below, so a score does not depend on where its block starts).
                for (; j + 16 <= n; j += 16)
                {
                    byte* kb = k + j * rowBytes;
                    for (long line = 0; line < 16 * rowBytes; line += 64)
                    {
                        Sse.Prefetch0(v + j * rowBytes + line);
                        if (j + 16 + KeyPrefetchRows <= n) Sse.Prefetch0(kb + KeyPrefetchRows * rowBytes + line);
                    }
                    var d0 = KeyDot<T>(q0, q1, q2, q3, kb + 0 * rowBytes);
                    var d1 = KeyDot<T>(q0, q1, q2, q3, kb + 1 * rowBytes);
                    var d2 = KeyDot<T>(q0, q1, q2, q3, kb + 2 * rowBytes);
                    var d3 = KeyDot<T>(q0, q1, q2, q3, kb + 3 * rowBytes);
                    var d4 = KeyDot<T>(q0, q1, q2, q3, kb + 4 * rowBytes);
                    var d5 = KeyDot<T>(q0, q1, q2, q3, kb + 5 * rowBytes);
                    var d6 = KeyDot<T>(q0, q1, q2, q3, kb + 6 * rowBytes);
                    var d7 = KeyDot<T>(q0, q1, q2, q3, kb + 7 * rowBytes);
                    var d8 = KeyDot<T>(q0, q1, q2, q3, kb + 8 * rowBytes);
                    var d9 = KeyDot<T>(q0, q1, q2, q3, kb + 9 * rowBytes);
                    var d10 = KeyDot<T>(q0, q1, q2, q3, kb + 10 * rowBytes);
                    var d11 = KeyDot<T>(q0, q1, q2, q3, kb + 11 * rowBytes);
                    var d12 = KeyDot<T>(q0, q1, q2, q3, kb + 12 * rowBytes);
                    var d13 = KeyDot<T>(q0, q1, q2, q3, kb + 13 * rowBytes);
                    var d14 = KeyDot<T>(q0, q1, q2, q3, kb + 14 * rowBytes);
                    var d15 = KeyDot<T>(q0, q1, q2, q3, kb + 15 * rowBytes);
                    (HorizontalSums.Each16(d0, d1, d2, d3, d4, d5, d6, d7, d8, d9, d10, d11, d12, d13, d14, d15) * scale).Store(row + j);
                }
                for (; j < n; j++) row[j] = Vector512.Sum(KeyDot<T>(q0, q1, q2, q3, k + j * rowBytes)) * scale;
                max = KernelSimd.Max(new ReadOnlySpan<float>(row, n));
            }
            else
            {
                for (int j = 0; j < n; j++)
                {
                    byte* kj = k + j * rowBytes;
                    float dot = 0;
                    int c = 0;
                    if (Vector512.IsHardwareAccelerated && hs >= 16)
                    {
                        var acc = Vector512<float>.Zero;
                        for (; c <= hs - 16; c += 16) acc = Vector512.FusedMultiplyAdd(Vector512.Load(q + c), T.Load16(kj + c * T.Bytes), acc);
                        dot = Vector512.Sum(acc);
                    }
                    for (; c < hs; c++) dot += q[c] * T.Load1(kj + c * T.Bytes);
                    float score = dot * scale;
                    row[j] = score;
                    if (score > max) max = score;
                }
            }

            // 2. Unnormalised softmax weights; the sum divides once at the end.
            float inverseSum = 1f / KernelSimd.ExpShiftedInPlace(new Span<float>(row, n), max);

            // 3. y = Σ_j p_j·v_j / Σ_j p_j, in registers (two accumulator sets for odd and even j to hide FMA latency).
            if (vectorized)
            {
                Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, b0 = default, b1 = default, b2 = default, b3 = default;
                int j = 0;
                for (; j + 1 < n; j += 2)
                {
                    AddWeightedValue<T>(row[j], v + j * rowBytes, ref a0, ref a1, ref a2, ref a3);
                    AddWeightedValue<T>(row[j + 1], v + (j + 1) * rowBytes, ref b0, ref b1, ref b2, ref b3);
                }
                if (j < n) AddWeightedValue<T>(row[j], v + j * rowBytes, ref a0, ref a1, ref a2, ref a3);
                var inverse = Vector512.Create(inverseSum);
                ((a0 + b0) * inverse).Store(y);
                ((a1 + b1) * inverse).Store(y + 16);
                ((a2 + b2) * inverse).Store(y + 32);
                ((a3 + b3) * inverse).Store(y + 48);
            }
            else
            {
                for (int c = 0; c < hs; c++) y[c] = 0;
                for (int j = 0; j < n; j++)
                {
                    byte* vj = v + j * rowBytes;
                    float p = row[j];
                    int c = 0;
                    if (Vector512.IsHardwareAccelerated)
                    {
                        var pv = Vector512.Create(p);
                        for (; c <= hs - 16; c += 16) Vector512.FusedMultiplyAdd(pv, T.Load16(vj + c * T.Bytes), Vector512.Load(y + c)).Store(y + c);
                    }
                    for (; c < hs; c++) y[c] += p * T.Load1(vj + c * T.Bytes);
                }
                for (int c = 0; c < hs; c++) y[c] *= inverseSum;
            }
        }
    }
}
