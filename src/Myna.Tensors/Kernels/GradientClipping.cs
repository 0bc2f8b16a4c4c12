using System.Buffers;

namespace Myna.Tensors;

/// <summary>
/// Global L2 norm of a flat gradient buffer and clipping to a maximum norm (as <c>torch.nn.utils.clip_grad_norm_</c>).
/// </summary>
/// <remarks>
/// The norm is reduced deterministically: fixed-size chunks each produce a partial sum of squares (in double), and the
/// partials are added in chunk order. The result is bit-identical for any thread count.
/// </remarks>
public static unsafe class GradientClipping
{
    // Elements per chunk of the reduction; fixed, so the summation tree never depends on the thread count.
    private const int Grain = 64 * 1024;

    /// <summary>Returns √(Σ g²) over the buffer.</summary>
    public static float GlobalNorm(ReadOnlySpan<float> gradients)
    {
        int chunks = KernelParallel.ChunkCount(gradients.Length, Grain);
        if (chunks == 0) return 0f;
        double[] partials = ArrayPool<double>.Shared.Rent(chunks);
        try
        {
            fixed (float* pG = gradients)
            fixed (double* pPartials = partials)
            {
                float* g = pG;
                double* partial = pPartials;
                KernelParallel.For(gradients.Length, Grain, (start, end) =>
                {
                    var slice = new ReadOnlySpan<float>(g + start, end - start);
                    partial[start / Grain] = KernelSimd.Dot(slice, slice);
                });
            }
            double total = 0;
            for (int i = 0; i < chunks; i++) total += partials[i];
            return (float)Math.Sqrt(total);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(partials);
        }
    }

    /// <summary>
    /// The factor <see cref="ClipByGlobalNorm"/> scales by: <c>maxNorm / (norm + 1e-6)</c> when the norm exceeds
    /// <paramref name="maxNorm"/>, else 1. Hand it to the optimizer as a gradient scale to clip without a pass over memory.
    /// </summary>
    // The 1e-6 matches PyTorch's clip_grad_norm_, which keeps the factor finite for a zero norm.
    public static float ClipFactor(float norm, float maxNorm) => norm > maxNorm ? maxNorm / (norm + 1e-6f) : 1f;

    /// <summary>
    /// Scales the gradients by <c>maxNorm / (norm + 1e-6)</c> when their global norm exceeds
    /// <paramref name="maxNorm"/>; returns the norm before clipping.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive.</exception>
    public static float ClipByGlobalNorm(Span<float> gradients, float maxNorm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNorm);
        float norm = GlobalNorm(gradients);
        float factor = ClipFactor(norm, maxNorm);
        if (factor < 1f)
        {
            fixed (float* pG = gradients)
            {
                float* g = pG;
                KernelParallel.For(gradients.Length, Grain, (start, end) => KernelSimd.Scale(new Span<float>(g + start, end - start), factor));
            }
        }
        return norm;
    }
}
