using System.Globalization;
using System.Runtime.Intrinsics.X86;

namespace Myna.Bench.Gemm;

/// <summary>The theoretical single-precision FMA peak of one core, from the detected clock.</summary>
/// <param name="GflopsPerCore">Clock (GHz) × flop per cycle; null when no clock could be read.</param>
/// <param name="Note">How the figure was computed, for the human output and the JSON.</param>
public sealed record CpuPeak(double? GflopsPerCore, string Note)
{
    /// <summary>
    /// 2 FMA pipes × 8 float lanes (256-bit datapath; Zen 4 runs AVX-512 double-pumped on the same pipes) × 2 flop
    /// per FMA. Other cores may differ; the note says what was assumed.
    /// </summary>
    private const int FlopPerCycle = 32;

    /// <summary>Reads the maximum clock from cpufreq, else the highest "cpu MHz" in /proc/cpuinfo.</summary>
    public static CpuPeak Detect()
    {
        (double? mhz, string source) = ReadCpufreqMax() is { } max
            ? (max, "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")
            : (ReadCpuinfoMhz(), "max \"cpu MHz\" in /proc/cpuinfo");
        if (mhz is null) return new CpuPeak(null, "no clock found (no cpufreq, no /proc/cpuinfo)");
        string isa = Avx512F.IsSupported ? "AVX-512F" : Fma.IsSupported ? "AVX2+FMA" : "no FMA detected";
        double peak = mhz.Value / 1000 * FlopPerCycle;
        string note = string.Create(CultureInfo.InvariantCulture,
            $"{mhz.Value:F0} MHz ({source}) × {FlopPerCycle} flop/cycle (2 FMA pipes × 8 fp32 lanes × 2; {isa}) = {peak:F1} GFLOP/s per core");
        return new CpuPeak(peak, note);
    }

    private static double? ReadCpufreqMax()
    {
        const string path = "/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq";
        try
        {
            if (File.Exists(path) && double.TryParse(File.ReadAllText(path).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double khz))
                return khz / 1000;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    private static double? ReadCpuinfoMhz()
    {
        const string path = "/proc/cpuinfo";
        try
        {
            if (!File.Exists(path)) return null;
            double? best = null;
            foreach (string line in File.ReadLines(path))
            {
                if (!line.StartsWith("cpu MHz", StringComparison.Ordinal)) continue;
                int colon = line.IndexOf(':');
                if (colon > 0 && double.TryParse(line.AsSpan(colon + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double mhz))
                    best = Math.Max(best ?? 0, mhz);
            }
            return best;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
