using System.Globalization;

namespace Myna.Models;

/// <summary>
/// The one rule for refusing an allocation before it is made: it may take three quarters of what .NET may use here,
/// the rest being left for the data, checkpoints and the runtime itself. Past it, the kernel would kill the process
/// once the pages are touched, with nothing said; refused here, the user learns how much was needed and is available.
/// </summary>
public static class MemoryBudget
{
    /// <summary>Bytes .NET may use on this machine (the container's limit where there is one).</summary>
    public static long Available => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>Whether an allocation of <paramref name="bytes"/> fits the budget.</summary>
    public static bool Fits(long bytes) => bytes <= Available / 4 * 3;

    /// <summary><paramref name="bytes"/> in GiB, as the refusals state it ("1.5 GiB").</summary>
    public static string Gibibytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.##} GiB");
}
