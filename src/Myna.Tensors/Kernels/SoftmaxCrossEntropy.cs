namespace Myna.Tensors;

/// <summary>
/// Softmax followed by the negative log-likelihood of a target class, row by row over (N, V) logits, with the
/// gradient with respect to the logits computed in the same pass.
/// </summary>
public static unsafe class SoftmaxCrossEntropy
{
    /// <summary>
    /// For each row i with a target other than <paramref name="ignoreIndex"/>:
    /// <c>losses[i] = logsumexp(logits[i]) − logits[i, target]</c> and
    /// <c>dLogits[i] = (softmax(logits[i]) − onehot(target)) · <paramref name="gradientScale"/></c>.
    /// Ignored rows get loss 0 and a zero gradient. <paramref name="dLogits"/> may be the very same span as
    /// <paramref name="logits"/> (the gradient then overwrites the logits, saving an (N, V) buffer); partial overlap
    /// is not allowed. Rows run in parallel; each row's result does not depend on the thread count.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A target is neither in [0, V) nor the ignore index.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires.</exception>
    public static void ForwardBackward(
        Span<float> losses, Span<float> dLogits, ReadOnlySpan<float> logits, ReadOnlySpan<int> targets,
        int rows, int vocab, float gradientScale, int ignoreIndex = -100)
    {
        Validate(losses, logits, targets, rows, vocab, ignoreIndex);
        if (dLogits.Length < (long)rows * vocab)
            throw new ArgumentException($"dLogits holds {dLogits.Length} values; ({rows}, {vocab}) needs {(long)rows * vocab}.", nameof(dLogits));
        fixed (float* pLoss = losses, pDz = dLogits, pZ = logits)
        fixed (int* pTarget = targets)
        {
            float* loss = pLoss, dz = pDz, z = pZ;
            int* target = pTarget;
            int V = vocab;
            ComputePool.Shared.For(rows, r =>
            {
                float* zr = z + (long)r * V;
                var dRow = new Span<float>(dz + (long)r * V, V);
                int y = target[r];
                if (y == ignoreIndex)
                {
                    loss[r] = 0f;
                    dRow.Clear();
                    return;
                }
                // 1. Read everything the loss needs before dRow (possibly the same memory) is written.
                float max = KernelSimd.Max(new ReadOnlySpan<float>(zr, V));
                float targetLogit = zr[y];
                if (dz != z) new ReadOnlySpan<float>(zr, V).CopyTo(dRow);
                // 2. exp(z − max) in place and its sum; 3. normalise and scale; subtract the one-hot.
                float sum = KernelSimd.ExpShiftedInPlace(dRow, max);
                loss[r] = MathF.Log(sum) + max - targetLogit;
                KernelSimd.Scale(dRow, gradientScale / sum);
                dRow[y] -= gradientScale;
            });
        }
    }

    /// <summary>
    /// Loss only: <c>losses[i] = logsumexp(logits[i]) − logits[i, target]</c>, 0 for ignored rows; logits are not changed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A target is neither in [0, V) nor the ignore index.</exception>
    /// <exception cref="ArgumentException">A span is shorter than its shape requires.</exception>
    public static void Forward(Span<float> losses, ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, int rows, int vocab, int ignoreIndex = -100)
    {
        Validate(losses, logits, targets, rows, vocab, ignoreIndex);
        fixed (float* pLoss = losses, pZ = logits)
        fixed (int* pTarget = targets)
        {
            float* loss = pLoss, z = pZ;
            int* target = pTarget;
            int V = vocab;
            ComputePool.Shared.For(rows, r =>
            {
                int y = target[r];
                if (y == ignoreIndex)
                {
                    loss[r] = 0f;
                    return;
                }
                var row = new ReadOnlySpan<float>(z + (long)r * V, V);
                float max = KernelSimd.Max(row);
                // Stream the sum of exponentials in blocks on the stack so the logits stay untouched.
                Span<float> block = stackalloc float[256];
                float sum = 0f;
                for (int start = 0; start < V; start += block.Length)
                {
                    int width = Math.Min(block.Length, V - start);
                    row.Slice(start, width).CopyTo(block);
                    sum += KernelSimd.ExpShiftedInPlace(block[..width], max);
                }
                loss[r] = MathF.Log(sum) + max - row[y];
            });
        }
    }

    private static void Validate(ReadOnlySpan<float> losses, ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, int rows, int vocab, int ignoreIndex)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocab, 1);
        if (losses.Length < rows) throw new ArgumentException($"losses holds {losses.Length} values; N = {rows}.", nameof(losses));
        if (targets.Length < rows) throw new ArgumentException($"targets holds {targets.Length} ids; N = {rows}.", nameof(targets));
        if (logits.Length < (long)rows * vocab)
            throw new ArgumentException($"logits holds {logits.Length} values; ({rows}, {vocab}) needs {(long)rows * vocab}.", nameof(logits));
        for (int i = 0; i < rows; i++)
        {
            if ((uint)targets[i] >= (uint)vocab && targets[i] != ignoreIndex)
                throw new ArgumentOutOfRangeException(nameof(targets), targets[i], $"target {i} is {targets[i]}; ids must be in [0, {vocab}) or {ignoreIndex} (ignored).");
        }
    }
}
