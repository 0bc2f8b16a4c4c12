using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Myna.Tensors;

/// <summary>
/// The one place that decides which <see cref="SimdTier"/> this process runs, and the one predicate per tier that
/// every kernel dispatches on (so no kernel asks <c>Avx512F.IsSupported</c> while another asks
/// <c>Vector512.IsHardwareAccelerated</c> and the two disagree).
/// </summary>
/// <remarks>
/// Instruction sets are turned off the .NET way (<c>DOTNET_EnableAVX512F=0</c>, <c>DOTNET_EnableAVX2=0</c>), which
/// the predicates below see. <c>MYNA_ISA</c> (<c>avx512</c>, <c>avx2</c>, <c>portable</c>) lowers the tier further
/// without restarting the runtime; a tier the CPU lacks is never chosen.
/// </remarks>
public static class SimdTiers
{
    /// <summary>The tier this process runs, decided once.</summary>
    public static SimdTier Current { get; } = Choose(Environment.GetEnvironmentVariable("MYNA_ISA"));

    /// <summary>Whether this CPU and runtime can run <paramref name="tier"/>.</summary>
    public static bool IsSupported(SimdTier tier) => tier switch
    {
        SimdTier.Avx512 => Avx512F.IsSupported && Avx512BW.IsSupported && Avx2.IsSupported && Fma.IsSupported && Vector512.IsHardwareAccelerated,
        SimdTier.Avx2 => Avx2.IsSupported && Fma.IsSupported && Vector256.IsHardwareAccelerated,
        SimdTier.Portable => true,
        _ => false,
    };

    /// <summary>The tiers this machine supports, lowest first: the set a test runs every kernel over.</summary>
    public static IReadOnlyList<SimdTier> Supported { get; } = [.. Enum.GetValues<SimdTier>().Where(IsSupported)];

    /// <summary>The lower-case name used by <c>--isa</c>, <c>MYNA_ISA</c> and JSON reports.</summary>
    public static string Name(SimdTier tier) => tier switch
    {
        SimdTier.Avx512 => "avx512",
        SimdTier.Avx2 => "avx2",
        _ => "portable",
    };

    /// <summary>Parses a tier name (<c>avx512</c>, <c>avx2</c>, <c>portable</c>); false for anything else.</summary>
    public static bool TryParse(string? name, out SimdTier tier)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "avx512": tier = SimdTier.Avx512; return true;
            case "avx2": tier = SimdTier.Avx2; return true;
            case "portable" or "vector128" or "neon": tier = SimdTier.Portable; return true;
            default: tier = SimdTier.Portable; return false;
        }
    }

    /// <summary>The best supported tier, capped by <paramref name="requested"/> when it names one.</summary>
    internal static SimdTier Choose(string? requested)
    {
        SimdTier best = IsSupported(SimdTier.Avx512) ? SimdTier.Avx512 : IsSupported(SimdTier.Avx2) ? SimdTier.Avx2 : SimdTier.Portable;
        return TryParse(requested, out SimdTier cap) && cap < best ? cap : best;
    }
}
