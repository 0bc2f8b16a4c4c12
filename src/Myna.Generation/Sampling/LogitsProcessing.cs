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
    /// the rest become −∞.
    /// </summary>
    public static void KeepTopK(Span<float> logits, int k)
    {
        if (k >= logits.Length) return;
        float[] copy = logits.ToArray();
        Array.Sort(copy);
        float kth = copy[^k];
        for (int i = 0; i < logits.Length; i++)
        {
            if (logits[i] < kth) logits[i] = float.NegativeInfinity;
        }
    }

    /// <summary>
    /// Nucleus filtering as transformers' TopPLogitsWarper: sort ascending, drop the tokens whose cumulative
    /// probability stays at or below 1 − P, always keeping the most likely token.
    /// </summary>
    public static void KeepTopP(Span<float> logits, float p, ref int[] order)
    {
        int n = logits.Length;
        if (order.Length < n) order = new int[n];
        Span<int> indices = order.AsSpan(0, n);
        for (int i = 0; i < n; i++) indices[i] = i;
        float[] keys = logits.ToArray();
        keys.AsSpan().Sort(indices);

        float max = keys[n - 1];
        double total = 0;
        for (int i = 0; i < n; i++) total += Math.Exp(keys[i] - max);
        double cumulative = 0;
        double threshold = 1.0 - p;
        for (int i = 0; i < n - 1; i++)
        {
            cumulative += Math.Exp(keys[i] - max) / total;
            if (cumulative > threshold) break;
            logits[indices[i]] = float.NegativeInfinity;
        }
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
    public static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) best = i;
        }
        return best;
    }

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
