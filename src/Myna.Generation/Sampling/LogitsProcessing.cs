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
    public static void Divide(Span<float> logits, float temperature)
    {
        float inverse = 1f / temperature;
        for (int i = 0; i < logits.Length; i++) logits[i] *= inverse;
    }

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
    /// Partial selection instead of sorting the vocabulary: a token whose weight exp(l − max) is under
    /// (1 − P)·total / V is dropped whatever the others (all such tokens together weigh at most (1 − P)·total), so
    /// only the tokens above that bound, usually a few hundred, are sorted. The cumulative sums run from the top in
    /// double precision, so the boundary can differ from a sort-based ascending sum only when the mass equals 1 − P
    /// to within double rounding.
    /// </remarks>
    public static void KeepTopP(Span<float> logits, float p, ref int[] order)
    {
        int n = logits.Length;
        if (p >= 1f || n < 2) return;
        float max = float.NegativeInfinity;
        foreach (float v in logits) max = MathF.Max(max, v);
        double total = 0;
        foreach (float v in logits) total += Math.Exp(v - max);

        // Candidates: tokens that may survive. The floor is lowered by a margin so float rounding never drops one.
        double bound = (1.0 - p) * total / n;
        float floor = bound > 0 ? (float)(max + Math.Log(bound)) - 1e-3f : float.NegativeInfinity;
        if (order.Length < n) order = new int[n];
        int count = 0;
        for (int i = 0; i < n; i++)
        {
            if (logits[i] >= floor) order[count++] = i;
        }
        float[] keys = System.Buffers.ArrayPool<float>.Shared.Rent(count);
        try
        {
            Span<int> candidates = order.AsSpan(0, count);
            Span<float> candidateKeys = keys.AsSpan(0, count);
            for (int j = 0; j < count; j++) candidateKeys[j] = -logits[candidates[j]]; // negated: ascending sort = most likely first
            candidateKeys.Sort(candidates);

            double target = p * total, above = 0;
            float last = -candidateKeys[0];
            for (int j = 0; j < count; j++)
            {
                if (above >= target) break;
                last = -candidateKeys[j];
                above += Math.Exp(last - max);
            }
            for (int i = 0; i < n; i++)
            {
                if (logits[i] < last) logits[i] = float.NegativeInfinity;
            }
        }
        finally
        {
            System.Buffers.ArrayPool<float>.Shared.Return(keys);
        }
    }

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
        float max = float.NegativeInfinity;
        foreach (float v in logits) max = MathF.Max(max, v);
        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            float e = MathF.Exp(logits[i] - max);
            probabilities[i] = e;
            sum += e;
        }
        float inverse = (float)(1.0 / sum);
        for (int i = 0; i < probabilities.Length; i++) probabilities[i] *= inverse;
    }

    /// <summary>log softmax of one entry.</summary>
    public static float LogSoftmaxAt(ReadOnlySpan<float> logits, int index)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits) max = MathF.Max(max, v);
        double sum = 0;
        foreach (float v in logits) sum += Math.Exp(v - max);
        return (float)(logits[index] - max - Math.Log(sum));
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
