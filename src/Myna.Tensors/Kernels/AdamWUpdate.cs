using System.Numerics;
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
/// </summary>
public static unsafe class AdamWUpdate
{
    // Elements per parallel task; the update is element-wise, so the split cannot change the result.
    private const int Grain = 64 * 1024;

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
        float gradientScale = 1f, bool clearGradients = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(step, 1);
        int n = parameters.Length;
        if (gradients.Length != n || m.Length != n || v.Length != n)
            throw new ArgumentException($"parameters ({n}), gradients ({gradients.Length}), m ({m.Length}) and v ({v.Length}) must have equal lengths.");
        float correction1 = (float)(1.0 - Math.Pow(beta1, step));
        float correction2 = (float)(1.0 - Math.Pow(beta2, step));
        fixed (float* pP = parameters, pG = gradients, pM = m, pV = v)
        {
            float* p = pP, g = pG, mm = pM, vv = pV;
            KernelParallel.For(n, Grain, (start, end) =>
            {
                Range(p + start, g + start, mm + start, vv + start, end - start,
                    learningRate, beta1, beta2, epsilon, weightDecay, correction1, correction2, gradientScale);
                if (clearGradients) new Span<float>(g + start, end - start).Clear();
            });
        }
    }

    private static void Range(
        float* p, float* g, float* m, float* v, int n,
        float lr, float beta1, float beta2, float eps, float decay, float correction1, float correction2, float scale)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var b1 = Vector512.Create(beta1);
            var b2 = Vector512.Create(beta2);
            var oneMinusB1 = Vector512.Create(1f - beta1);
            var oneMinusB2 = Vector512.Create(1f - beta2);
            var inverseC1 = Vector512.Create(1f / correction1);
            var inverseC2 = Vector512.Create(1f / correction2);
            var vEps = Vector512.Create(eps);
            var vLr = Vector512.Create(lr);
            var vDecay = Vector512.Create(decay);
            var vScale = Vector512.Create(scale);
            for (; i <= n - 16; i += 16)
            {
                var grad = Vector512.Load(g + i) * vScale;
                var mNew = b1 * Vector512.Load(m + i) + oneMinusB1 * grad;
                var vNew = b2 * Vector512.Load(v + i) + oneMinusB2 * grad * grad;
                mNew.Store(m + i);
                vNew.Store(v + i);
                var param = Vector512.Load(p + i);
                var update = mNew * inverseC1 / (Vector512.Sqrt(vNew * inverseC2) + vEps) + vDecay * param;
                (param - vLr * update).Store(p + i);
            }
        }
        else if (Vector.IsHardwareAccelerated)
        {
            var b1 = new Vector<float>(beta1);
            var b2 = new Vector<float>(beta2);
            var oneMinusB1 = new Vector<float>(1f - beta1);
            var oneMinusB2 = new Vector<float>(1f - beta2);
            var inverseC1 = new Vector<float>(1f / correction1);
            var inverseC2 = new Vector<float>(1f / correction2);
            var vEps = new Vector<float>(eps);
            var vLr = new Vector<float>(lr);
            var vDecay = new Vector<float>(decay);
            var vScale = new Vector<float>(scale);
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            {
                var grad = Vector.Load(g + i) * vScale;
                var mNew = b1 * Vector.Load(m + i) + oneMinusB1 * grad;
                var vNew = b2 * Vector.Load(v + i) + oneMinusB2 * grad * grad;
                mNew.Store(m + i);
                vNew.Store(v + i);
                var param = Vector.Load(p + i);
                var update = mNew * inverseC1 / (Vector.SquareRoot(vNew * inverseC2) + vEps) + vDecay * param;
                (param - vLr * update).Store(p + i);
            }
        }
        for (; i < n; i++)
        {
            float grad = g[i] * scale;
            float mNew = beta1 * m[i] + (1f - beta1) * grad;
            float vNew = beta2 * v[i] + (1f - beta2) * grad * grad;
            m[i] = mNew;
            v[i] = vNew;
            p[i] -= lr * (mNew / correction1 / (MathF.Sqrt(vNew / correction2) + eps) + decay * p[i]);
        }
    }
}
