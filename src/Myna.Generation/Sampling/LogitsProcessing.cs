using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Myna.Generation.Sampling;

/// <summary>The steps that reshape a row of next-token logits, each as transformers defines it.</summary>
public static class LogitsProcessing
{
    /// <summary>
    /// CTRL's repetition penalty as transformers applies it: for every distinct token in the context, a positive
    /// logit is divided by the penalty and a negative one multiplied, so the token always becomes less likely.
    /// </summary>
    public static void ApplyRepetitionPenalty(Span<float> logits, ReadOnlySpan<int> context, float penalty)
    {
        if (penalty == 1f) return;
        var seen = new HashSet<int>();
        foreach (int token in context)
        {
            if ((uint)token >= (uint)logits.Length || !seen.Add(token)) continue;
            float value = logits[token];
            logits[token] = value < 0 ? value * penalty : value / penalty;
        }
    }

    /// <summary>OpenAI's penalties: logit −= presence·[count &gt; 0] + frequency·count, over generated tokens.</summary>
    public static void ApplyPresenceAndFrequencyPenalties(Span<float> logits, IReadOnlyDictionary<int, int> counts, float presence, float frequency)
    {
        if (presence == 0f && frequency == 0f) return;
        foreach ((int token, int count) in counts)
        {
            if ((uint)token >= (uint)logits.Length || count <= 0) continue;
            logits[token] -= presence + frequency * count;
        }
    }

    /// <summary>Divides every logit by the temperature.</summary>
    public static void Divide(Span<float> logits, float temperature) => TensorPrimitives.Multiply(logits, 1f / temperature, logits);

    /// <summary>
    /// Keeps the K largest logits (and any tied with the K-th, as transformers' <c>&lt; kth value</c> mask does);
    /// the rest become −∞. The K-th value is found by selection (expected linear time), not by sorting the vocabulary.
    /// </summary>
    public static void KeepTopK(Span<float> logits, int k)
    {
        if (k >= logits.Length) return;
        float[] copy = System.Buffers.ArrayPool<float>.Shared.Rent(logits.Length);
        try
        {
            Span<float> values = copy.AsSpan(0, logits.Length);
            logits.CopyTo(values);
            float kth = Select(values, logits.Length - k);
            for (int i = 0; i < logits.Length; i++)
            {
                if (logits[i] < kth) logits[i] = float.NegativeInfinity;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(copy);
        }
    }

    /// <summary>
    /// Nucleus filtering as transformers' TopPLogitsWarper: a token is dropped when the probability of the tokens at or
    /// below it reaches at most 1 − P (equivalently, kept while the probability strictly above it is under P); the most
    /// likely token is always kept. Tokens tied with the last kept one are kept too.
    /// </summary>
    /// <remarks>
    /// Linear time instead of sorting the vocabulary, even when nearly every token survives (a flat distribution).
    /// (1) A token whose weight exp(l − max) is under (1 − P)·total / V is dropped whatever the others (all such tokens
    /// together weigh at most (1 − P)·total), so only the tokens above that bound are candidates. (2) Candidates fall
    /// into <see cref="TopPBuckets"/> buckets by value, highest first, each summing its weight; walking the buckets from
    /// the top finds the one where the kept weight reaches P·total. (3) Only that bucket's tokens are sorted, to find the
    /// cut within it. Weights are f32 exponentials summed in double, so the cut can differ from a sort-based double sum
    /// only when the mass equals 1 − P to within that rounding.
    /// </remarks>
    public static void KeepTopP(Span<float> logits, float p, ref int[] order)
    {
        int n = logits.Length;
        if (p >= 1f || n < 2) return;
        // Every pass but the bucket sums is a vector pass: this runs once per sampled token over the whole vocabulary.
        float[] rentedWeights = System.Buffers.ArrayPool<float>.Shared.Rent(n);
        int[] rentedBuckets = System.Buffers.ArrayPool<int>.Shared.Rent(n);
        try
        {
            Span<float> weights = rentedWeights.AsSpan(0, n);
            Span<int> buckets = rentedBuckets.AsSpan(0, n);
            float max = TensorPrimitives.Max(logits);
            TensorPrimitives.Subtract(logits, max, weights);
            TensorPrimitives.Exp(weights, weights);
            double total = SumInDouble(weights);

            // 1. Candidates: tokens that may survive (the bound is lowered a little so rounding never drops one).
            float bound = (float)((1.0 - p) * total / n * 0.999);
            float lowest = LowestCandidate(logits, weights, bound, max);

            // 2. Bucket weights by value; bucket 0 holds the highest values. The index is monotone in the value, so
            // every token of a lower bucket index is at least as likely as every token of a higher one. Tokens that
            // are no candidates go to an extra bucket past the last, which the walk never reaches.
            float scale = max > lowest ? (TopPBuckets - 1) / (max - lowest) : 0f;
            BucketIndices(logits, weights, bound, max, scale, buckets);
            Span<double> mass = stackalloc double[TopPBuckets + 1];
            mass.Clear();
            for (int i = 0; i < n; i++) mass[buckets[i]] += weights[i];
            double target = p * total, above = 0;
            int boundary = TopPBuckets - 1;
            for (int b = 0; b < TopPBuckets; b++)
            {
                if (above + mass[b] >= target)
                {
                    boundary = b;
                    break;
                }
                above += mass[b];
            }

            // 3. The boundary bucket's tokens, most likely first: keep while the weight above stays under P·total.
            if (order.Length < n) order = new int[n];
            int count = CollectBucket(buckets, boundary, order);
            float cut = float.PositiveInfinity;
            if (count > 0)
            {
                Span<int> tokens = order.AsSpan(0, count);
                float[] keys = System.Buffers.ArrayPool<float>.Shared.Rent(count);
                Span<float> negated = keys.AsSpan(0, count);
                for (int j = 0; j < count; j++) negated[j] = -logits[tokens[j]];
                negated.Sort(tokens); // ascending negated values: most likely first
                for (int j = 0; j < count && above < target; j++)
                {
                    cut = logits[tokens[j]];
                    above += weights[tokens[j]];
                }
                System.Buffers.ArrayPool<float>.Shared.Return(keys);
            }
            // An empty boundary bucket means rounding left the candidates just short of P·total: keep them all.
            if (float.IsPositiveInfinity(cut)) cut = lowest;
            MaskBelow(logits, cut);
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(rentedWeights);
            System.Buffers.ArrayPool<int>.Shared.Return(rentedBuckets);
        }
    }

    /// <summary>Σ values, each widened to double and summed in double lanes (the order differs from a serial sum only in double rounding).</summary>
    internal static double SumInDouble(ReadOnlySpan<float> values)
    {
        int i = 0, n = values.Length;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            ref float start = ref MemoryMarshal.GetReference(values);
            Vector<double> low = Vector<double>.Zero, high = Vector<double>.Zero;
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector.Widen(Vector.LoadUnsafe(ref start, (nuint)i), out Vector<double> a, out Vector<double> b);
                low += a;
                high += b;
            }
            sum = Vector.Sum(low + high);
        }
        for (; i < n; i++) sum += values[i];
        return sum;
    }

    /// <summary>The smallest logit whose weight reaches <paramref name="bound"/> (<paramref name="max"/> when none is below it).</summary>
    private static float LowestCandidate(ReadOnlySpan<float> logits, ReadOnlySpan<float> weights, float bound, float max)
    {
        int i = 0, n = logits.Length;
        float lowest = max;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            ref float l = ref MemoryMarshal.GetReference(logits);
            ref float w = ref MemoryMarshal.GetReference(weights);
            var boundVector = new Vector<float>(bound);
            var least = new Vector<float>(max);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<int> candidate = Vector.GreaterThanOrEqual(Vector.LoadUnsafe(ref w, (nuint)i), boundVector);
                least = Vector.Min(least, Vector.ConditionalSelect(candidate.As<int, float>(), Vector.LoadUnsafe(ref l, (nuint)i), least));
            }
            for (int lane = 0; lane < Vector<float>.Count; lane++) lowest = MathF.Min(lowest, least[lane]);
        }
        for (; i < n; i++)
        {
            if (weights[i] >= bound) lowest = MathF.Min(lowest, logits[i]);
        }
        return lowest;
    }

    /// <summary>Each token's top-p bucket, min(B − 1, ⌊(max − l)·scale⌋), or B for a token that is no candidate.</summary>
    private static void BucketIndices(ReadOnlySpan<float> logits, ReadOnlySpan<float> weights, float bound, float max, float scale, Span<int> buckets)
    {
        int i = 0, n = logits.Length;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            ref float l = ref MemoryMarshal.GetReference(logits);
            ref float w = ref MemoryMarshal.GetReference(weights);
            ref int b = ref MemoryMarshal.GetReference(buckets);
            Vector<float> maxVector = new(max), scaleVector = new(scale), boundVector = new(bound);
            Vector<int> last = new(TopPBuckets - 1), outside = new(TopPBuckets);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                // Truncation toward zero, as the scalar (int) cast: the product is never negative.
                Vector<int> index = Vector.Min(Vector.ConvertToInt32((maxVector - Vector.LoadUnsafe(ref l, (nuint)i)) * scaleVector), last);
                Vector<int> candidate = Vector.GreaterThanOrEqual(Vector.LoadUnsafe(ref w, (nuint)i), boundVector);
                Vector.ConditionalSelect(candidate, index, outside).StoreUnsafe(ref b, (nuint)i);
            }
        }
        for (; i < n; i++) buckets[i] = weights[i] >= bound ? Math.Min(TopPBuckets - 1, (int)((max - logits[i]) * scale)) : TopPBuckets;
    }

    /// <summary>Writes the indices whose bucket is <paramref name="bucket"/> into <paramref name="found"/>, in order; returns how many.</summary>
    private static int CollectBucket(ReadOnlySpan<int> buckets, int bucket, Span<int> found)
    {
        int i = 0, n = buckets.Length, count = 0;
        if (Vector.IsHardwareAccelerated && n >= Vector<int>.Count)
        {
            ref int b = ref MemoryMarshal.GetReference(buckets);
            var wanted = new Vector<int>(bucket);
            for (; i <= n - Vector<int>.Count; i += Vector<int>.Count)
            {
                if (!Vector.EqualsAny(Vector.LoadUnsafe(ref b, (nuint)i), wanted)) continue;
                for (int lane = i; lane < i + Vector<int>.Count; lane++)
                {
                    if (buckets[lane] == bucket) found[count++] = lane;
                }
            }
        }
        for (; i < n; i++)
        {
            if (buckets[i] == bucket) found[count++] = i;
        }
        return count;
    }

    /// <summary>Sets every logit below <paramref name="cut"/> to −∞.</summary>
    private static void MaskBelow(Span<float> logits, float cut)
    {
        int i = 0, n = logits.Length;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            ref float l = ref MemoryMarshal.GetReference(logits);
            Vector<float> cutVector = new(cut), minusInfinity = new(float.NegativeInfinity);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                Vector<float> value = Vector.LoadUnsafe(ref l, (nuint)i);
                Vector.ConditionalSelect(Vector.LessThan(value, cutVector), minusInfinity, value).StoreUnsafe(ref l, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            if (logits[i] < cut) logits[i] = float.NegativeInfinity;
        }
    }

    /// <summary>Value buckets of the top-p search: fine enough that the boundary bucket holds a few dozen tokens of a 50k vocabulary.</summary>
    private const int TopPBuckets = 2048;

    /// <summary>
    /// The value that would sit at <paramref name="index"/> if <paramref name="values"/> were sorted ascending
    /// (Hoare's quickselect with a median-of-three pivot); <paramref name="values"/> is reordered.
    /// </summary>
    internal static float Select(Span<float> values, int index)
    {
        int lo = 0, hi = values.Length - 1;
        while (lo < hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (values[mid] < values[lo]) (values[mid], values[lo]) = (values[lo], values[mid]);
            if (values[hi] < values[lo]) (values[hi], values[lo]) = (values[lo], values[hi]);
            if (values[hi] < values[mid]) (values[hi], values[mid]) = (values[mid], values[hi]);
            float pivot = values[mid];
            int i = lo, j = hi;
            while (i <= j)
            {
                while (values[i] < pivot) i++;
                while (values[j] > pivot) j--;
                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }
            if (index <= j) hi = j;
            else if (index >= i) lo = i;
            else return values[index];
        }
        return values[index];
    }

    /// <summary>Numerically stable softmax.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> probabilities)
    {
        // Vector passes (the sum in double lanes): once per sampled token over the whole vocabulary.
        probabilities = probabilities[..logits.Length];
        float max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, probabilities);
        TensorPrimitives.Exp(probabilities, probabilities);
        TensorPrimitives.Multiply(probabilities, (float)(1.0 / SumInDouble(probabilities)), probabilities);
    }

    /// <summary>log softmax of one entry.</summary>
    public static float LogSoftmaxAt(ReadOnlySpan<float> logits, int index)
    {
        (float max, double logSum) = LogSoftmaxNormalizer(logits);
        return LogSoftmaxAt(logits, index, max, logSum);
    }

    /// <summary>The two terms of log softmax: the largest logit and log Σ exp(l − max), summed in double.</summary>
    public static (float Max, double LogSum) LogSoftmaxNormalizer(ReadOnlySpan<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits) max = MathF.Max(max, v);
        double sum = 0;
        foreach (float v in logits) sum += Math.Exp(v - max);
        return (max, Math.Log(sum));
    }

    /// <summary>log softmax of one entry, given <see cref="LogSoftmaxNormalizer"/>'s terms.</summary>
    public static float LogSoftmaxAt(ReadOnlySpan<float> logits, int index, float max, double logSum) => (float)(logits[index] - max - logSum);

    /// <summary>Adds each token's bias to its logit (OpenAI's <c>logit_bias</c>).</summary>
    /// <exception cref="ArgumentException">A token is outside the row.</exception>
    public static void ApplyLogitBias(Span<float> logits, ReadOnlySpan<int> tokens, ReadOnlySpan<float> biases)
    {
        for (int i = 0; i < tokens.Length; i++)
        {
            if ((uint)tokens[i] >= (uint)logits.Length) throw new ArgumentException($"logit bias names token {tokens[i]}, outside the vocabulary [0, {logits.Length}).");
            logits[tokens[i]] += biases[i];
        }
    }

    /// <summary>
    /// Writes the indices of the <paramref name="top"/>.Length largest scores into <paramref name="top"/>, largest first
    /// (the lower index first among equals, as argmax), skipping scores at or below <paramref name="floor"/>; returns
    /// how many were found. One pass with a k-entry min-heap (O(V log k), k ≤ 20), never a sort of the whole row.
    /// </summary>
    public static int SelectLargest(ReadOnlySpan<float> scores, Span<int> top, float floor = float.NegativeInfinity)
    {
        int k = top.Length, count = 0;
        if (k == 0) return 0;
        // top[0..count) is a min-heap on (score, −index): its root is the entry the next better score replaces.
        for (int i = 0; i < scores.Length; i++)
        {
            float value = scores[i];
            if (!(value > floor)) continue;
            if (count < k)
            {
                top[count] = i;
                SiftUp(scores, top, count++);
            }
            else if (value > scores[top[0]])
            {
                top[0] = i;
                SiftDown(scores, top[..count], 0);
            }
        }
        // Heap order to best-first: repeatedly move the worst to the end.
        for (int end = count - 1; end > 0; end--)
        {
            (top[0], top[end]) = (top[end], top[0]);
            SiftDown(scores, top[..end], 0);
        }
        return count;
    }

    /// <summary>Whether entry a ranks below entry b: a lower score, or an equal score at a higher index.</summary>
    private static bool Below(ReadOnlySpan<float> scores, int a, int b) => scores[a] < scores[b] || (scores[a] == scores[b] && a > b);

    private static void SiftUp(ReadOnlySpan<float> scores, Span<int> heap, int at)
    {
        while (at > 0)
        {
            int parent = (at - 1) / 2;
            if (!Below(scores, heap[at], heap[parent])) return;
            (heap[at], heap[parent]) = (heap[parent], heap[at]);
            at = parent;
        }
    }

    private static void SiftDown(ReadOnlySpan<float> scores, Span<int> heap, int at)
    {
        while (true)
        {
            int left = 2 * at + 1, lowest = at;
            if (left < heap.Length && Below(scores, heap[left], heap[lowest])) lowest = left;
            if (left + 1 < heap.Length && Below(scores, heap[left + 1], heap[lowest])) lowest = left + 1;
            if (lowest == at) return;
            (heap[at], heap[lowest]) = (heap[lowest], heap[at]);
            at = lowest;
        }
    }

    /// <summary>Index of the largest value; the first one on ties, as torch.argmax.</summary>
    public static int ArgMax(ReadOnlySpan<float> values) =>
        // Vectorised; it returns the first index of the maximum, as the scalar loop did (logits hold no NaN).
        System.Numerics.Tensors.TensorPrimitives.IndexOfMax(values);

    /// <summary>Inverse-CDF draw with <paramref name="uniform"/> in [0, 1); never returns a zero-probability token.</summary>
    public static int Draw(ReadOnlySpan<float> probabilities, double uniform)
    {
        double cumulative = 0;
        int last = -1;
        for (int i = 0; i < probabilities.Length; i++)
        {
            if (probabilities[i] <= 0) continue;
            last = i;
            cumulative += probabilities[i];
            if (uniform < cumulative) return i;
        }
        return last;
    }
}
