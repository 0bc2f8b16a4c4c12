using System.Runtime.Intrinsics;

namespace Myna.Tensors;

/// <summary>
/// One AdamW step (Loshchilov and Hutter; PyTorch's <c>torch.optim.AdamW</c>) over flat parameter, gradient and
/// moment buffers of equal length:
/// <code>
/// g = s·gradient  (s: optional gradient scale, e.g. the clipping factor, so clipping costs no extra pass)
/// m = β1·m + (1 − β1)·g;   v = β2·v + (1 − β2)·g²
/// p = p − lr·( (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε) + λ·p )
/// </code>
/// The weight decay λ is decoupled: it shrinks the parameter directly instead of being added to the gradient.
/// Every element takes the same operations in the same order whatever its position or the tier (a vector lane and
/// the scalar tail both multiply by 1/(1 − βᵗ)), so the update is bit-identical across tiers and thread counts.
/// </summary>
public static unsafe class AdamWUpdate
{
    // Elements per parallel task; the update is element-wise, so the split cannot change the result.
    private const int Grain = 64 * 1024;

    private static readonly SimdTier s_tier = SimdTiers.Current;

    /// <summary>
    /// Updates <paramref name="parameters"/>, <paramref name="m"/> and <paramref name="v"/> in place for step t (1-based),
    /// using the gradients multiplied by <paramref name="gradientScale"/>. With <paramref name="clearGradients"/> the
    /// gradients are zeroed chunk by chunk right after use, while still in cache, which saves a separate pass.
    /// </summary>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The step is below 1.</exception>
    public static void Step(
        Span<float> parameters, Span<float> gradients, Span<float> m, Span<float> v,
        float learningRate, float beta1, float beta2, float epsilon, float weightDecay, int step,
        float gradientScale = 1f, bool clearGradients = false) =>
        Step(parameters, gradients, m, v, learningRate, beta1, beta2, epsilon, weightDecay, step, gradientScale, clearGradients, s_tier);

    /// <summary>As the public overload, at a given tier (tests run every supported one).</summary>
    internal static void Step(
        Span<float> parameters, Span<float> gradients, Span<float> m, Span<float> v,
        float learningRate, float beta1, float beta2, float epsilon, float weightDecay, int step,
        float gradientScale, bool clearGradients, SimdTier tier)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        int n = parameters.Length;
        if (gradients.Length != n || m.Length != n || v.Length != n)
            throw new ArgumentException($"parameters ({n}), gradients ({gradients.Length}), m ({m.Length}) and v ({v.Length}) must have equal lengths.");
        var constants = new Constants(learningRate, beta1, beta2, epsilon, weightDecay, step, gradientScale);
        fixed (float* pP = parameters, pG = gradients, pM = m, pV = v)
        {
            float* p = pP, g = pG, mm = pM, vv = pV;
            KernelParallel.For(n, Grain, (start, end) =>
            {
                int count = end - start;
                int done = tier switch
                {
                    SimdTier.Avx512 => Range512(p + start, g + start, mm + start, vv + start, count, constants),
                    SimdTier.Avx2 => Range256(p + start, g + start, mm + start, vv + start, count, constants),
                    _ => Range128(p + start, g + start, mm + start, vv + start, count, constants),
                };
                RangeScalar(p + start, g + start, mm + start, vv + start, done, count, constants);
                if (clearGradients) new Span<float>(g + start, count).Clear();
            });
        }
    }

    /// <summary>The step's scalars, each computed once: the bias corrections as reciprocals.</summary>
    private readonly struct Constants(float lr, float beta1, float beta2, float eps, float decay, int step, float scale)
    {
        public readonly float Lr = lr, Beta1 = beta1, Beta2 = beta2, Eps = eps, Decay = decay, Scale = scale;
        public readonly float OneMinusBeta1 = 1f - beta1, OneMinusBeta2 = 1f - beta2;
        public readonly float InverseCorrection1 = 1f / (float)(1.0 - Math.Pow(beta1, step));
        public readonly float InverseCorrection2 = 1f / (float)(1.0 - Math.Pow(beta2, step));
    }

    // The three vector bodies are one formula at three widths; each returns how many elements it did.
    private static int Range512(float* p, float* g, float* m, float* v, int n, in Constants k)
    {
        var b1 = Vector512.Create(k.Beta1);
        var b2 = Vector512.Create(k.Beta2);
        var oneMinusB1 = Vector512.Create(k.OneMinusBeta1);
        var oneMinusB2 = Vector512.Create(k.OneMinusBeta2);
        var inverseC1 = Vector512.Create(k.InverseCorrection1);
        var inverseC2 = Vector512.Create(k.InverseCorrection2);
        var eps = Vector512.Create(k.Eps);
        var lr = Vector512.Create(k.Lr);
        var decay = Vector512.Create(k.Decay);
        var scale = Vector512.Create(k.Scale);
        int i = 0;
        for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
        {
            var grad = Vector512.Load(g + i) * scale;
            var mNew = b1 * Vector512.Load(m + i) + oneMinusB1 * grad;
            var vNew = b2 * Vector512.Load(v + i) + oneMinusB2 * grad * grad;
            mNew.Store(m + i);
            vNew.Store(v + i);
            var param = Vector512.Load(p + i);
            var update = mNew * inverseC1 / (Vector512.Sqrt(vNew * inverseC2) + eps) + decay * param;
            (param - lr * update).Store(p + i);
        }
        return i;
    }

    private static int Range256(float* p, float* g, float* m, float* v, int n, in Constants k)
    {
        var b1 = Vector256.Create(k.Beta1);
        var b2 = Vector256.Create(k.Beta2);
        var oneMinusB1 = Vector256.Create(k.OneMinusBeta1);
        var oneMinusB2 = Vector256.Create(k.OneMinusBeta2);
        var inverseC1 = Vector256.Create(k.InverseCorrection1);
        var inverseC2 = Vector256.Create(k.InverseCorrection2);
        var eps = Vector256.Create(k.Eps);
        var lr = Vector256.Create(k.Lr);
        var decay = Vector256.Create(k.Decay);
        var scale = Vector256.Create(k.Scale);
        int i = 0;
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
        {
            var grad = Vector256.Load(g + i) * scale;
            var mNew = b1 * Vector256.Load(m + i) + oneMinusB1 * grad;
            var vNew = b2 * Vector256.Load(v + i) + oneMinusB2 * grad * grad;
            mNew.Store(m + i);
            vNew.Store(v + i);
            var param = Vector256.Load(p + i);
            var update = mNew * inverseC1 / (Vector256.Sqrt(vNew * inverseC2) + eps) + decay * param;
            (param - lr * update).Store(p + i);
        }
        return i;
    }

    private static int Range128(float* p, float* g, float* m, float* v, int n, in Constants k)
    {
        var b1 = Vector128.Create(k.Beta1);
        var b2 = Vector128.Create(k.Beta2);
        var oneMinusB1 = Vector128.Create(k.OneMinusBeta1);
        var oneMinusB2 = Vector128.Create(k.OneMinusBeta2);
        var inverseC1 = Vector128.Create(k.InverseCorrection1);
        var inverseC2 = Vector128.Create(k.InverseCorrection2);
        var eps = Vector128.Create(k.Eps);
        var lr = Vector128.Create(k.Lr);
        var decay = Vector128.Create(k.Decay);
        var scale = Vector128.Create(k.Scale);
        int i = 0;
        for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
        {
            var grad = Vector128.Load(g + i) * scale;
            var mNew = b1 * Vector128.Load(m + i) + oneMinusB1 * grad;
            var vNew = b2 * Vector128.Load(v + i) + oneMinusB2 * grad * grad;
            mNew.Store(m + i);
            vNew.Store(v + i);
            var param = Vector128.Load(p + i);
            var update = mNew * inverseC1 / (Vector128.Sqrt(vNew * inverseC2) + eps) + decay * param;
            (param - lr * update).Store(p + i);
        }
        return i;
    }

    /// <summary>Elements [<paramref name="from"/>, <paramref name="n"/>): the vector formula, one lane at a time.</summary>
    private static void RangeScalar(float* p, float* g, float* m, float* v, int from, int n, in Constants k)
    {
        for (int i = from; i < n; i++)
        {
            float grad = g[i] * k.Scale;
            float mNew = k.Beta1 * m[i] + k.OneMinusBeta1 * grad;
            float vNew = k.Beta2 * v[i] + k.OneMinusBeta2 * grad * grad;
            m[i] = mNew;
            v[i] = vNew;
            float param = p[i];
            float update = mNew * k.InverseCorrection1 / (MathF.Sqrt(vNew * k.InverseCorrection2) + k.Eps) + k.Decay * param;
            p[i] = param - k.Lr * update;
        }
    }
}
