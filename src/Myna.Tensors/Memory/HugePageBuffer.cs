using System.Runtime.InteropServices;

namespace Myna.Tensors.Memory;

/// <summary>
/// Memory for values that every decoding step streams through once (a weight matrix): outside the GC heap and, from
/// 2 MiB up, aligned to 2 MiB and on Linux advised to be backed by transparent huge pages before its first write.
/// </summary>
/// <remarks>
/// Why huge pages: batch-1 decoding reads the whole model once per token, so its speed is the memory's bandwidth. On
/// a virtual machine every TLB miss walks two page tables (the guest's and the host's), and with 4 KiB pages a 500 MB
/// sweep misses every 4 KiB. Measured on a 2-vCPU Zen 5 VM, two threads summing 494 MB: 37-39 GB/s from a managed
/// array against 42-45 GB/s from this buffer (THP "madvise", the Debian default), in one process, alternating; GPT-2
/// 124M's 49 batch-1 products, the same way: f32 41.7 against 37.8 GB/s (median), f16 +4%, q8 +3% (those two are
/// partly bound by their conversion arithmetic). The GC heap cannot be asked for huge pages, hence native memory; the
/// advice is only advice, and where the kernel does not take it (THP off, another OS) the buffer is ordinary aligned
/// memory. A buffer smaller than a huge page is not advised; nor is a key-value cache (tried: no difference at batch
/// 8, and its pages would all become resident at once instead of as sequences grow).
/// <para>
/// The memory is freed by the finalizer, so code that holds <see cref="Pointer"/> or <see cref="Span"/> past its
/// last use of the owner must keep the owner alive (<see cref="GC.KeepAlive"/>).
/// </para>
/// </remarks>
internal sealed unsafe class HugePageBuffer<T> where T : unmanaged
{
    private const nuint CacheLineBytes = 64;

    private readonly long _bytes;

    /// <summary>Allocates <paramref name="length"/> values, uninitialised.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative or above <see cref="Array.MaxLength"/>.</exception>
    public HugePageBuffer(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, Array.MaxLength);
        Length = length;
        nuint bytes = (nuint)Math.Max((long)length * sizeof(T), 1);
        bool huge = bytes >= HugePages.Bytes;
        Pointer = (T*)NativeMemory.AlignedAlloc(bytes, huge ? HugePages.Bytes : CacheLineBytes);
        HugePagesAdvised = huge && HugePages.Advise(Pointer, bytes);
        GC.AddMemoryPressure((long)bytes);
        _bytes = (long)bytes; // (zero while the constructor has not got this far: the finalizer then has nothing to return)
    }

    /// <summary>Copies <paramref name="values"/> into a new buffer.</summary>
    public static HugePageBuffer<T> From(ReadOnlySpan<T> values)
    {
        var buffer = new HugePageBuffer<T>(values.Length);
        values.CopyTo(buffer.Span);
        return buffer;
    }

    ~HugePageBuffer()
    {
        NativeMemory.AlignedFree(Pointer);
        if (_bytes > 0) GC.RemoveMemoryPressure(_bytes);
    }

    /// <summary>The number of values.</summary>
    public int Length { get; }

    /// <summary>Whether the OS took the advice to back this buffer with huge pages.</summary>
    public bool HugePagesAdvised { get; }

    /// <summary>The first value; valid while this buffer is reachable.</summary>
    public T* Pointer { get; }

    /// <summary>The values; valid while this buffer is reachable.</summary>
    public Span<T> Span => new(Pointer, Length);
}
