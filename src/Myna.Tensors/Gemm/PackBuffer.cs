using System.Runtime.InteropServices;

namespace Myna.Tensors;

/// <summary>
/// A grow-only, cache-line-aligned native float buffer for packed GEMM panels. Kept by pooled kernel objects, so
/// steady-state calls allocate nothing; freed by its finalizer if its owner is dropped.
/// </summary>
internal sealed unsafe class PackBuffer
{
    /// <summary>Alignment of the buffer: one cache line, and one Vector512.</summary>
    private const nuint Alignment = 64;

    private nuint _capacity;

    /// <summary>Start of the buffer; null until the first <see cref="Ensure"/>.</summary>
    public float* Pointer { get; private set; }

    /// <summary>Makes the buffer hold at least <paramref name="floats"/> values (contents are not kept).</summary>
    public float* Ensure(long floats)
    {
        if ((nuint)floats > _capacity)
        {
            if (Pointer != null) NativeMemory.AlignedFree(Pointer);
            Pointer = null;
            _capacity = 0;
            Pointer = (float*)NativeMemory.AlignedAlloc((nuint)floats * sizeof(float), Alignment);
            _capacity = (nuint)floats;
        }
        return Pointer;
    }

    ~PackBuffer()
    {
        if (Pointer != null) NativeMemory.AlignedFree(Pointer);
    }
}
