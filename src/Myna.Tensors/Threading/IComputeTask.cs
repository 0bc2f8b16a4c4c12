namespace Myna.Tensors;

/// <summary>
/// Work that <see cref="ComputePool"/> runs for every index of a range. Kernels implement it on a pooled object so that
/// dispatching work allocates nothing.
/// </summary>
internal interface IComputeTask
{
    /// <summary>Runs the work for one index.</summary>
    void Run(int index);
}
