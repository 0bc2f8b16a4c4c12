using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

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
/// the output, so results do not depend on the thread count or on which other rows share the call.
/// <para>
/// One kernel, written over <see cref="ISimdLanes{TVector}"/>, runs at every <see cref="SimdTier"/> and any head size:
/// it scores a batch of keys at a time (16 at the AVX-512 tier, 8 below: one register of partial products per key,
/// reduced together by <see cref="ISimdLanes{TVector}.SumEach8"/>), and accumulates the weighted value rows in
/// registers, a block of columns at a time. A head size that is not a multiple of the register width finishes each key
/// and each column in scalar code. A score depends only on its query and key, never on where its batch starts, so a
/// row's result is the same whatever its length. A half cache is read with its bits moved into place (the floats
/// 2^-112 times the halves) and the query and the softmax weights are scaled by 2^112 instead: exact scalings, so the
/// result is bit for bit the f32 cache's over the same values, for one multiply fewer per loaded register.
/// </para>
/// </remarks>
public static unsafe class CachedAttention
{
    private const int KeyPrefetchRows = 16; // keys are fetched this many rows ahead of the score being computed
    private const int MaxKeysPerBatch = 16; // the largest ISimdLanes.RowsPerBatch

    private static readonly SimdTier Tier = SimdTiers.Current;

    /// <summary>output (N, C) = softmax(q·Kᵀ/√hs)·V per row and head, over an f32 cache.</summary>
    /// <exception cref="ArgumentException">A dimension is not positive, C is not a multiple of NH, or a range falls outside its span.</exception>
    public static void Forward(
        Span<float> output, ReadOnlySpan<float> qkv, ReadOnlySpan<float> keys, ReadOnlySpan<float> values,
        ReadOnlySpan<int> cacheStart, ReadOnlySpan<int> length, int rows, int channels, int heads, int contextLength, Span<float> scores) =>
        Forward(output, qkv, keys, values, cacheStart, length, rows, channels, heads, contextLength, scores, Tier);

    /// <summary>The f32-cache <see cref="Forward(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{int}, ReadOnlySpan{int}, int, int, int, int, Span{float})"/> at an explicit tier and pool (tests run every supported tier and several thread counts).</summary>
    internal static void Forward(
        Span<float> output, ReadOnlySpan<float> qkv, ReadOnlySpan<float> keys, ReadOnlySpan<float> values,
        ReadOnlySpan<int> cacheStart, ReadOnlySpan<int> length, int rows, int channels, int heads, int contextLength, Span<float> scores, SimdTier tier, ComputePool? pool = null)
    {
        int longest = Validate(output, qkv, Math.Min(keys.Length, values.Length), cacheStart, length, rows, channels, heads, contextLength, scores);
        fixed (float* o = output, x = qkv, k = keys, v = values, s = scores)
        fixed (int* start = cacheStart, len = length)
        {
            Run<SingleCache>(tier, pool ?? ComputePool.Shared, rows * heads, new Arguments(o, x, k, v, s, start, len, channels, heads, contextLength, longest));
        }
    }

    /// <summary>output (N, C) = softmax(q·Kᵀ/√hs)·V per row and head, over a cache of half-precision bits.</summary>
    /// <exception cref="ArgumentException">A dimension is not positive, C is not a multiple of NH, or a range falls outside its span.</exception>
    public static void Forward(
        Span<float> output, ReadOnlySpan<float> qkv, ReadOnlySpan<ushort> keys, ReadOnlySpan<ushort> values,
        ReadOnlySpan<int> cacheStart, ReadOnlySpan<int> length, int rows, int channels, int heads, int contextLength, Span<float> scores) =>
        Forward(output, qkv, keys, values, cacheStart, length, rows, channels, heads, contextLength, scores, Tier);

    /// <summary>The half-cache <see cref="Forward(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{ushort}, ReadOnlySpan{ushort}, ReadOnlySpan{int}, ReadOnlySpan{int}, int, int, int, int, Span{float})"/> at an explicit tier and pool (tests run every supported tier and several thread counts).</summary>
    internal static void Forward(
        Span<float> output, ReadOnlySpan<float> qkv, ReadOnlySpan<ushort> keys, ReadOnlySpan<ushort> values,
        ReadOnlySpan<int> cacheStart, ReadOnlySpan<int> length, int rows, int channels, int heads, int contextLength, Span<float> scores, SimdTier tier, ComputePool? pool = null)
    {
        int longest = Validate(output, qkv, Math.Min(keys.Length, values.Length), cacheStart, length, rows, channels, heads, contextLength, scores);
        fixed (float* o = output, x = qkv, s = scores)
        fixed (ushort* k = keys, v = values)
        fixed (int* start = cacheStart, len = length)
        {
            Run<HalfCache>(tier, pool ?? ComputePool.Shared, rows * heads, new Arguments(o, x, k, v, s, start, len, channels, heads, contextLength, longest));
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

    /// <summary>Runs the kernel for one cache element type at <paramref name="tier"/> over every (row, head) pair.</summary>
    private static void Run<TCache>(SimdTier tier, ComputePool pool, int pairs, Arguments arguments) where TCache : struct, ICacheElement
    {
        if (!SimdTiers.IsSupported(tier)) throw new ArgumentException($"this CPU cannot run the {SimdTiers.Name(tier)} tier.", nameof(tier));
        switch (tier)
        {
            case SimdTier.Avx512: pool.For(pairs, new Job<TCache, Lanes512, Vector512<float>>(arguments)); break;
            case SimdTier.Avx2: pool.For(pairs, new Job<TCache, Lanes256, Vector256<float>>(arguments)); break;
            default: pool.For(pairs, new Job<TCache, Lanes128, Vector128<float>>(arguments)); break;
        }
    }

    /// <summary>One call's buffers and dimensions (pointers pinned by the caller for the call's duration).</summary>
    private readonly struct Arguments(float* output, float* qkv, void* keys, void* values, float* scores, int* cacheStart, int* length,
        int channels, int heads, int contextLength, int longest)
    {
        public readonly float* Output = output, Qkv = qkv, Scores = scores;
        public readonly void* Keys = keys, Values = values;
        public readonly int* CacheStart = cacheStart, Length = length;
        public readonly int Channels = channels, Heads = heads, ContextLength = contextLength, Longest = longest;
    }

    /// <summary>How one element type of the cache turns into floats.</summary>
    private interface ICacheElement
    {
        static abstract int Bytes { get; }

        static abstract bool IsHalf { get; }

        static abstract float Load1(byte* at);
    }

    private readonly struct SingleCache : ICacheElement
    {
        public static int Bytes => sizeof(float);

        public static bool IsHalf => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* at) => *(float*)at;
    }

    /// <summary>
    /// Half-precision bits, read as floats scaled by 2^-112 (<see cref="HalfConversion.HalfBitsInPlace16"/>): the query
    /// and the softmax weights are scaled by 2^112 instead, which is exact, so every product and sum rounds as it would
    /// unscaled and the loads skip a multiply.
    /// </summary>
    private readonly struct HalfCache : ICacheElement
    {
        public static int Bytes => sizeof(ushort);

        public static bool IsHalf => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float Load1(byte* at) => BitConverter.Int32BitsToSingle((*(short*)at << 13) & unchecked((int)0x8FFF_E000));
    }

    private sealed class Job<TCache, TLanes, TVector>(Arguments arguments) : IComputeTask
        where TCache : struct, ICacheElement where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {

        /// <summary>One register of cache elements as floats (halves scaled by 2^-112: see <see cref="HalfCache"/>).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static TVector Load(byte* at) => TCache.IsHalf ? TLanes.LoadHalfInPlace((ushort*)at) : TLanes.Load((float*)at);

        [MethodImpl(MethodImplOptions.AggressiveOptimization)] // a kernel: fully optimised from its first call
        public void Run(int index)
        {
            Arguments a = arguments;
            int i = index / a.Heads, h = index % a.Heads, n = a.Length[i], hs = a.Channels / a.Heads;
            long headStart = (a.CacheStart[i] + (long)h * a.ContextLength * hs) * TCache.Bytes;
            byte* k = (byte*)a.Keys + headStart, v = (byte*)a.Values + headStart;
            float* q = a.Qkv + (long)i * 3 * a.Channels + h * hs;
            float* row = a.Scores + (long)index * a.Longest;
            float* y = a.Output + (long)i * a.Channels + h * hs;
            float scale = 1f / MathF.Sqrt(hs);
            long rowBytes = (long)hs * TCache.Bytes;
            int keysPerBatch = TLanes.RowsPerBatch; // 8 or 16 keys scored together
            float* partial = stackalloc float[MaxKeysPerBatch];
            if (TCache.IsHalf)
            {
                // The keys come scaled by 2^-112, so the query is scaled by 2^112 (less for a query of 2^15 or more, which
                // would overflow; the scores take back what the query was short of).
                float* scaled = stackalloc float[hs];
                int shortfall = QueryShortfall(q, hs);
                float factor = HalfConversion.InPlaceScale * MathF.ScaleB(1f, -shortfall);
                for (int c0 = 0; c0 < hs; c0++) scaled[c0] = q[c0] * factor;
                q = scaled;
                scale *= MathF.ScaleB(1f, shortfall);
            }

            // 1. Scaled scores and their maximum. Each batch of keys also asks memory for keys further on and for the value
            //    rows pass 3 will read: the cache of a long context is read from DRAM every step, and waiting on each miss
            //    in turn, not the arithmetic, was what attention's time went to.
            int j = 0;
            for (; j + keysPerBatch <= n; j += keysPerBatch)
            {
                byte* batch = k + j * rowBytes;
                for (long line = 0; line < keysPerBatch * rowBytes; line += 64)
                {
                    TLanes.Prefetch(v + j * rowBytes + line);
                    if (j + keysPerBatch + KeyPrefetchRows <= n) TLanes.Prefetch(batch + KeyPrefetchRows * rowBytes + line);
                }
                ScoreBatch(q, batch, rowBytes, hs, scale, row + j);
            }
            // The last keys: a batch that ends at the last key, rewriting scores already there with the same values; or,
            // for fewer keys than a batch, each key in every slot. Either way each score goes through the same arithmetic.
            if (j < n && n >= keysPerBatch) ScoreBatch(q, k + (n - keysPerBatch) * rowBytes, rowBytes, hs, scale, row + n - keysPerBatch);
            else
            {
                for (; j < n; j++)
                {
                    ScoreBatch(q, k + j * rowBytes, 0, hs, scale, partial);
                    row[j] = partial[0];
                }
            }
            float max = KernelSimd.Max(new ReadOnlySpan<float>(row, n), TLanes.Tier);

            // 2. Unnormalised softmax weights; the sum divides once at the end. Over a half cache they are scaled by
            //    2^112 (exactly: they are at most 1) to meet the values' 2^-112.
            float inverseSum = 1f / KernelSimd.ExpShiftedInPlace(new Span<float>(row, n), max, TLanes.Tier);
            if (TCache.IsHalf) KernelSimd.Scale(new Span<float>(row, n), HalfConversion.InPlaceScale, TLanes.Tier);

            // 3. y = Σ_j p_j·v_j / Σ_j p_j, a block of columns at a time in registers, with enough independent
            //    accumulators (columns × sets of rows) to hide the FMA latency; the leftover columns in scalar code.
            int width = TLanes.Count, c = 0;
            for (; c + 4 * width <= hs; c += 4 * width) ValueColumns4(row, n, v + c * TCache.Bytes, rowBytes, inverseSum, y + c);
            for (; c + 2 * width <= hs; c += 2 * width) ValueColumns2(row, n, v + c * TCache.Bytes, rowBytes, inverseSum, y + c);
            for (; c + width <= hs; c += width) ValueColumns1(row, n, v + c * TCache.Bytes, rowBytes, inverseSum, y + c);
            for (; c < hs; c++)
            {
                float sum = 0f;
                for (int r = 0; r < n; r++) sum += row[r] * TCache.Load1(v + r * rowBytes + c * TCache.Bytes);
                y[c] = sum * inverseSum;
            }
        }

        /// <summary>
        /// How many binades a query must lose before 2^112 times it stays finite: 0 unless some |q| ≥ 2^15, which real
        /// attention queries never reach.
        /// </summary>
        private static int QueryShortfall(float* q, int hs)
        {
            float largest = 0f;
            for (int c = 0; c < hs; c++) largest = MathF.Max(largest, MathF.Abs(q[c]));
            return float.IsFinite(largest) && largest >= 32768f ? Math.ILogB(largest) - 14 : 0;
        }

        /// <summary>destination[t] = scale · q·k_t for the <see cref="ISimdLanes{TVector}.RowsPerBatch"/> keys first + t·stride (stride 0: one key in every slot).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ScoreBatch(float* q, byte* first, long stride, int hs, float scale, float* destination)
        {
            // Lanes512 is the tier whose RowsPerBatch is 16. The typeof test folds while the JIT reads this method, so the
            // other tiers never inline the 16-key variant (with both variants inlined their Run ran out of the JIT's
            // inlining budget and was left calling the vector operations, 3-4x slower). The RowsPerBatch test folds only
            // after inlining: at the AVX-512 tier both variants are compiled in, which measured 10% faster than the
            // 16-key variant alone (f32, hs = 64, interleaved A/B; presumably code layout), so it stays.
            if (typeof(TLanes) == typeof(Lanes512) && TLanes.RowsPerBatch == 16) ScoreBatch16(q, first, stride, hs, scale, destination);
            else ScoreBatch8(q, first, stride, hs, scale, destination);
        }

        /// <summary>Sixteen keys against a query chunk reloaded once per chunk, for the tier with 32 registers.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ScoreBatch16(float* q, byte* first, long stride, int hs, float scale, float* destination)
        {
            byte* r0 = first, r4 = first + 4 * stride, r8 = first + 8 * stride, r12 = first + 12 * stride;
            long stride3 = 3 * stride;
            TVector d0 = TLanes.Zero, d1 = TLanes.Zero, d2 = TLanes.Zero, d3 = TLanes.Zero, d4 = TLanes.Zero, d5 = TLanes.Zero, d6 = TLanes.Zero, d7 = TLanes.Zero;
            TVector d8 = TLanes.Zero, d9 = TLanes.Zero, d10 = TLanes.Zero, d11 = TLanes.Zero, d12 = TLanes.Zero, d13 = TLanes.Zero, d14 = TLanes.Zero, d15 = TLanes.Zero;
            int c = 0;
            for (; c + TLanes.Count <= hs; c += TLanes.Count)
            {
                TVector qc = TLanes.Load(q + c);
                d0 = TLanes.MultiplyAdd(qc, Load(r0), d0);
                d1 = TLanes.MultiplyAdd(qc, Load(r0 + stride), d1);
                d2 = TLanes.MultiplyAdd(qc, Load(r0 + (stride << 1)), d2);
                d3 = TLanes.MultiplyAdd(qc, Load(r0 + stride3), d3);
                d4 = TLanes.MultiplyAdd(qc, Load(r4), d4);
                d5 = TLanes.MultiplyAdd(qc, Load(r4 + stride), d5);
                d6 = TLanes.MultiplyAdd(qc, Load(r4 + (stride << 1)), d6);
                d7 = TLanes.MultiplyAdd(qc, Load(r4 + stride3), d7);
                d8 = TLanes.MultiplyAdd(qc, Load(r8), d8);
                d9 = TLanes.MultiplyAdd(qc, Load(r8 + stride), d9);
                d10 = TLanes.MultiplyAdd(qc, Load(r8 + (stride << 1)), d10);
                d11 = TLanes.MultiplyAdd(qc, Load(r8 + stride3), d11);
                d12 = TLanes.MultiplyAdd(qc, Load(r12), d12);
                d13 = TLanes.MultiplyAdd(qc, Load(r12 + stride), d13);
                d14 = TLanes.MultiplyAdd(qc, Load(r12 + (stride << 1)), d14);
                d15 = TLanes.MultiplyAdd(qc, Load(r12 + stride3), d15);
                r0 += TLanes.Count * TCache.Bytes;
                r4 += TLanes.Count * TCache.Bytes;
                r8 += TLanes.Count * TCache.Bytes;
                r12 += TLanes.Count * TCache.Bytes;
            }
            bool tail = c < hs;
            TLanes.SumEach8(d0, d1, d2, d3, d4, d5, d6, d7, tail ? 1f : scale, destination);
            TLanes.SumEach8(d8, d9, d10, d11, d12, d13, d14, d15, tail ? 1f : scale, destination + 8);
            if (tail) FinishTail(q, first, stride, hs, c, 16, scale, destination);
        }

        /// <summary>The scalar end of a head size that is not a multiple of the register width, then the scale.</summary>
        private static void FinishTail(float* q, byte* first, long stride, int hs, int c, int keys, float scale, float* destination)
        {
            for (int t = 0; t < keys; t++)
            {
                float dot = destination[t];
                byte* key = first + t * stride;
                for (int r = c; r < hs; r++) dot += q[r] * TCache.Load1(key + r * TCache.Bytes);
                destination[t] = dot * scale;
            }
        }

        /// <summary>Eight keys, for the tiers with 16 registers (or a 4-lane tier, where eight chains hide the FMA latency).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ScoreBatch8(float* q, byte* first, long stride, int hs, float scale, float* destination)
        {
            // Two row pointers and the strides 1, 2 and 3 address all eight keys ([row + stride·scale] and
            // [row + stride3]), so the loop does not run out of x64's sixteen general registers.
            byte* low = first, high = first + 4 * stride;
            long stride3 = 3 * stride;
            TVector d0 = TLanes.Zero, d1 = TLanes.Zero, d2 = TLanes.Zero, d3 = TLanes.Zero, d4 = TLanes.Zero, d5 = TLanes.Zero, d6 = TLanes.Zero, d7 = TLanes.Zero;
            int c = 0;
            // Two registers of columns per iteration halve the loop overhead; the sums run in the same order either way.
            int w = TLanes.Count * TCache.Bytes;
            for (; c + 2 * TLanes.Count <= hs; c += 2 * TLanes.Count)
            {
                TVector qc = TLanes.Load(q + c);
                d0 = TLanes.MultiplyAdd(qc, Load(low), d0);
                d1 = TLanes.MultiplyAdd(qc, Load(low + stride), d1);
                d2 = TLanes.MultiplyAdd(qc, Load(low + (stride << 1)), d2);
                d3 = TLanes.MultiplyAdd(qc, Load(low + stride3), d3);
                d4 = TLanes.MultiplyAdd(qc, Load(high), d4);
                d5 = TLanes.MultiplyAdd(qc, Load(high + stride), d5);
                d6 = TLanes.MultiplyAdd(qc, Load(high + (stride << 1)), d6);
                d7 = TLanes.MultiplyAdd(qc, Load(high + stride3), d7);
                qc = TLanes.Load(q + c + TLanes.Count);
                d0 = TLanes.MultiplyAdd(qc, Load(low + w), d0);
                d1 = TLanes.MultiplyAdd(qc, Load(low + stride + w), d1);
                d2 = TLanes.MultiplyAdd(qc, Load(low + (stride << 1) + w), d2);
                d3 = TLanes.MultiplyAdd(qc, Load(low + stride3 + w), d3);
                d4 = TLanes.MultiplyAdd(qc, Load(high + w), d4);
                d5 = TLanes.MultiplyAdd(qc, Load(high + stride + w), d5);
                d6 = TLanes.MultiplyAdd(qc, Load(high + (stride << 1) + w), d6);
                d7 = TLanes.MultiplyAdd(qc, Load(high + stride3 + w), d7);
                low += 2 * w;
                high += 2 * w;
            }
            if (c + TLanes.Count <= hs)
            {
                TVector qc = TLanes.Load(q + c);
                d0 = TLanes.MultiplyAdd(qc, Load(low), d0);
                d1 = TLanes.MultiplyAdd(qc, Load(low + stride), d1);
                d2 = TLanes.MultiplyAdd(qc, Load(low + (stride << 1)), d2);
                d3 = TLanes.MultiplyAdd(qc, Load(low + stride3), d3);
                d4 = TLanes.MultiplyAdd(qc, Load(high), d4);
                d5 = TLanes.MultiplyAdd(qc, Load(high + stride), d5);
                d6 = TLanes.MultiplyAdd(qc, Load(high + (stride << 1)), d6);
                d7 = TLanes.MultiplyAdd(qc, Load(high + stride3), d7);
                c += TLanes.Count;
            }
            bool tail = c < hs;
            TLanes.SumEach8(d0, d1, d2, d3, d4, d5, d6, d7, tail ? 1f : scale, destination);
            if (tail) FinishTail(q, first, stride, hs, c, 8, scale, destination);
        }

        /// <summary>y[0 .. 4W) = inverseSum · Σ_r p_r·v_r over four registers of columns, even and odd rows apart (8 chains).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ValueColumns4(float* p, int n, byte* v, long rowBytes, float inverseSum, float* y)
        {
            int w = TLanes.Count * TCache.Bytes;
            TVector a0 = TLanes.Zero, a1 = TLanes.Zero, a2 = TLanes.Zero, a3 = TLanes.Zero, b0 = TLanes.Zero, b1 = TLanes.Zero, b2 = TLanes.Zero, b3 = TLanes.Zero;
            int j = 0;
            for (; j + 1 < n; j += 2)
            {
                byte* even = v + j * rowBytes, odd = even + rowBytes;
                TVector pe = TLanes.Create(p[j]), po = TLanes.Create(p[j + 1]);
                a0 = TLanes.MultiplyAdd(pe, Load(even), a0);
                a1 = TLanes.MultiplyAdd(pe, Load(even + w), a1);
                a2 = TLanes.MultiplyAdd(pe, Load(even + 2 * w), a2);
                a3 = TLanes.MultiplyAdd(pe, Load(even + 3 * w), a3);
                b0 = TLanes.MultiplyAdd(po, Load(odd), b0);
                b1 = TLanes.MultiplyAdd(po, Load(odd + w), b1);
                b2 = TLanes.MultiplyAdd(po, Load(odd + 2 * w), b2);
                b3 = TLanes.MultiplyAdd(po, Load(odd + 3 * w), b3);
            }
            if (j < n)
            {
                byte* at = v + j * rowBytes;
                TVector pj = TLanes.Create(p[j]);
                a0 = TLanes.MultiplyAdd(pj, Load(at), a0);
                a1 = TLanes.MultiplyAdd(pj, Load(at + w), a1);
                a2 = TLanes.MultiplyAdd(pj, Load(at + 2 * w), a2);
                a3 = TLanes.MultiplyAdd(pj, Load(at + 3 * w), a3);
            }
            TVector inverse = TLanes.Create(inverseSum);
            int width = TLanes.Count;
            TLanes.Store(TLanes.Multiply(TLanes.Add(a0, b0), inverse), y);
            TLanes.Store(TLanes.Multiply(TLanes.Add(a1, b1), inverse), y + width);
            TLanes.Store(TLanes.Multiply(TLanes.Add(a2, b2), inverse), y + 2 * width);
            TLanes.Store(TLanes.Multiply(TLanes.Add(a3, b3), inverse), y + 3 * width);
        }

        /// <summary>As <see cref="ValueColumns4"/> over two registers of columns, rows split four ways (8 chains).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ValueColumns2(float* p, int n, byte* v, long rowBytes, float inverseSum, float* y)
        {
            int w = TLanes.Count * TCache.Bytes;
            TVector a0 = TLanes.Zero, a1 = TLanes.Zero, b0 = TLanes.Zero, b1 = TLanes.Zero, c0 = TLanes.Zero, c1 = TLanes.Zero, d0 = TLanes.Zero, d1 = TLanes.Zero;
            int j = 0;
            for (; j + 3 < n; j += 4)
            {
                byte* at = v + j * rowBytes;
                TVector pa = TLanes.Create(p[j]), pb = TLanes.Create(p[j + 1]), pc = TLanes.Create(p[j + 2]), pd = TLanes.Create(p[j + 3]);
                a0 = TLanes.MultiplyAdd(pa, Load(at), a0);
                a1 = TLanes.MultiplyAdd(pa, Load(at + w), a1);
                b0 = TLanes.MultiplyAdd(pb, Load(at + rowBytes), b0);
                b1 = TLanes.MultiplyAdd(pb, Load(at + rowBytes + w), b1);
                c0 = TLanes.MultiplyAdd(pc, Load(at + 2 * rowBytes), c0);
                c1 = TLanes.MultiplyAdd(pc, Load(at + 2 * rowBytes + w), c1);
                d0 = TLanes.MultiplyAdd(pd, Load(at + 3 * rowBytes), d0);
                d1 = TLanes.MultiplyAdd(pd, Load(at + 3 * rowBytes + w), d1);
            }
            for (; j < n; j++)
            {
                byte* at = v + j * rowBytes;
                TVector pj = TLanes.Create(p[j]);
                a0 = TLanes.MultiplyAdd(pj, Load(at), a0);
                a1 = TLanes.MultiplyAdd(pj, Load(at + w), a1);
            }
            TVector inverse = TLanes.Create(inverseSum);
            TLanes.Store(TLanes.Multiply(TLanes.Add(TLanes.Add(a0, b0), TLanes.Add(c0, d0)), inverse), y);
            TLanes.Store(TLanes.Multiply(TLanes.Add(TLanes.Add(a1, b1), TLanes.Add(c1, d1)), inverse), y + TLanes.Count);
        }

        /// <summary>As <see cref="ValueColumns4"/> over one register of columns, rows split four ways.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void ValueColumns1(float* p, int n, byte* v, long rowBytes, float inverseSum, float* y)
        {
            TVector a = TLanes.Zero, b = TLanes.Zero, c = TLanes.Zero, d = TLanes.Zero;
            int j = 0;
            for (; j + 3 < n; j += 4)
            {
                byte* at = v + j * rowBytes;
                a = TLanes.MultiplyAdd(TLanes.Create(p[j]), Load(at), a);
                b = TLanes.MultiplyAdd(TLanes.Create(p[j + 1]), Load(at + rowBytes), b);
                c = TLanes.MultiplyAdd(TLanes.Create(p[j + 2]), Load(at + 2 * rowBytes), c);
                d = TLanes.MultiplyAdd(TLanes.Create(p[j + 3]), Load(at + 3 * rowBytes), d);
            }
            for (; j < n; j++) a = TLanes.MultiplyAdd(TLanes.Create(p[j]), Load(v + j * rowBytes), a);
            TLanes.Store(TLanes.Multiply(TLanes.Add(TLanes.Add(a, b), TLanes.Add(c, d)), TLanes.Create(inverseSum)), y);
        }
    }
}
