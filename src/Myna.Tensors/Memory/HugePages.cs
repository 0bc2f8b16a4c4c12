using System.Runtime.InteropServices;

namespace Myna.Tensors.Memory;

/// <summary>Asks the OS to back a range of memory with huge pages (Linux transparent huge pages).</summary>
/// <remarks><c>MYNA_HUGE_PAGES=0</c> turns the advice off, to measure what it gives or where a host's THP misbehaves.</remarks>
internal static unsafe partial class HugePages
{
    /// <summary>A huge page on x64 and Arm64 Linux with 4 KiB base pages.</summary>
    public const nuint Bytes = 2 << 20;

    private const int MadviseHugePage = 14; // MADV_HUGEPAGE

    /// <summary>Whether this process advises huge pages: on Linux, unless <c>MYNA_HUGE_PAGES</c> is 0.</summary>
    public static readonly bool Enabled = OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("MYNA_HUGE_PAGES") != "0";

    /// <summary>
    /// Advises huge pages for [<paramref name="address"/>, + <paramref name="length"/>), before the memory is first
    /// written (the pages are chosen when they are first touched). Returns whether the OS took the advice; a refusal
    /// (another OS, THP off, an old kernel) leaves ordinary pages, which work the same, only slower to stream.
    /// </summary>
    public static bool Advise(void* address, nuint length) =>
        Enabled && Madvise(address, length, MadviseHugePage) == 0;

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Madvise(void* address, nuint length, int advice);
}
