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
                    SimdTier.Avx512 => Range<Lanes512, Vector512<float>>(p + start, g + start, mm + start, vv + start, count, constants),
                    SimdTier.Avx2 => Range<Lanes256, Vector256<float>>(p + start, g + start, mm + start, vv + start, count, constants),
                    _ => Range<Lanes128, Vector128<float>>(p + start, g + start, mm + start, vv + start, count, constants),
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

    /// <summary>
    /// The vector body at one tier's width; returns how many elements it did. Plain multiplies and adds, no fused
    /// multiply-add, so every lane rounds exactly as the scalar tail does.
    /// </summary>
    private static int Range<TLanes, TVector>(float* p, float* g, float* m, float* v, int n, in Constants k)
        where TLanes : struct, ISimdLanes<TVector> where TVector : struct
    {
        TVector b1 = TLanes.Create(k.Beta1), b2 = TLanes.Create(k.Beta2);
        TVector oneMinusB1 = TLanes.Create(k.OneMinusBeta1), oneMinusB2 = TLanes.Create(k.OneMinusBeta2);
        TVector inverseC1 = TLanes.Create(k.InverseCorrection1), inverseC2 = TLanes.Create(k.InverseCorrection2);
        TVector eps = TLanes.Create(k.Eps), lr = TLanes.Create(k.Lr), decay = TLanes.Create(k.Decay), scale = TLanes.Create(k.Scale);
        int i = 0;
        for (; i <= n - TLanes.Count; i += TLanes.Count)
        {
            TVector grad = TLanes.Multiply(TLanes.Load(g + i), scale);
            TVector mNew = TLanes.Add(TLanes.Multiply(b1, TLanes.Load(m + i)), TLanes.Multiply(oneMinusB1, grad));
            TVector vNew = TLanes.Add(TLanes.Multiply(b2, TLanes.Load(v + i)), TLanes.Multiply(TLanes.Multiply(oneMinusB2, grad), grad));
            TLanes.Store(mNew, m + i);
            TLanes.Store(vNew, v + i);
            TVector param = TLanes.Load(p + i);
            TVector update = TLanes.Add(
                TLanes.Divide(TLanes.Multiply(mNew, inverseC1), TLanes.Add(TLanes.Sqrt(TLanes.Multiply(vNew, inverseC2)), eps)),
                TLanes.Multiply(decay, param));
            TLanes.Store(TLanes.Subtract(param, TLanes.Multiply(lr, update)), p + i);
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
