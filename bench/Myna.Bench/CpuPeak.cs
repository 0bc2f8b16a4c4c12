using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Myna.Tensors;

namespace Myna.Bench;

/// <summary>The theoretical single-precision FMA peak of one core.</summary>
/// <param name="GflopsPerCore">Detected clock (GHz) × flop per cycle; null when no clock could be read.</param>
/// <param name="FlopPerCycle">FMA pipes × fp32 lanes × 2, from the instruction set and CPU family.</param>
/// <param name="MeasuredClockMhz">The clock this core actually ran a dependent-add loop at (boost included).</param>
/// <param name="Note">How the figures were computed, for the human output and the JSON.</param>
public sealed record CpuPeak(double? GflopsPerCore, int FlopPerCycle, double MeasuredClockMhz, string Note)
{
    /// <summary>Peak at the measured clock: what "100 %" means while the benchmark runs.</summary>
    public double GflopsPerCoreAtMeasuredClock => MeasuredClockMhz / 1000 * FlopPerCycle;

    /// <summary>
    /// Reads the maximum clock from cpufreq, else the highest "cpu MHz" in /proc/cpuinfo (in a VM guest that is the
    /// nominal TSC clock, not the boost clock), works out flop/cycle, and times a dependent-add chain for the clock
    /// the core really runs at.
    /// </summary>
    public static CpuPeak Detect()
    {
        (double? mhz, string source) = ReadCpufreqMax() is { } max
            ? (max, "cpufreq cpuinfo_max_freq")
            : (ReadCpuinfoField("cpu MHz", takeMax: true), "max \"cpu MHz\" in /proc/cpuinfo");
        (int flopPerCycle, string why) = FlopPerCycleOfThisCpu();
        double measured = MeasureClockMhz();
        double atMeasured = measured / 1000 * flopPerCycle;
        string measuredText = string.Create(CultureInfo.InvariantCulture,
            $"measured clock ≈ {measured:F0} MHz (dependent integer adds) → {atMeasured:F1} GFLOP/s per core at that clock");
        if (mhz is null)
            return new CpuPeak(null, flopPerCycle, measured, $"no clock file found; {flopPerCycle} flop/cycle ({why}); {measuredText}");
        double peak = mhz.Value / 1000 * flopPerCycle;
        string note = string.Create(CultureInfo.InvariantCulture,
            $"{mhz.Value:F0} MHz ({source}) × {flopPerCycle} flop/cycle ({why}) = {peak:F1} GFLOP/s per core; {measuredText}");
        return new CpuPeak(peak, flopPerCycle, measured, note);
    }

    /// <summary>Flop per cycle of the instructions this process's tier (<see cref="SimdTiers.Current"/>) runs: an AVX2
    /// run on an AVX-512 machine is held to the 256-bit peak.</summary>
    private static (int FlopPerCycle, string Why) FlopPerCycleOfThisCpu()
    {
        string vendor = ReadCpuinfoText("vendor_id") ?? "";
        int family = (int)(ReadCpuinfoField("cpu family", takeMax: false) ?? 0);
        if (SimdTiers.Current == SimdTier.Avx512)
        {
            // Zen 4 (family 25) executes 512-bit FMAs as two 256-bit halves; Zen 5 (family 26) and Intel server cores
            // have two full-width 512-bit FMA pipes.
            if (vendor == "AuthenticAMD" && family < 26)
                return (32, $"AMD family {family}: AVX-512 double-pumped on 2 × 256-bit FMA pipes: 2 × 8 lanes × 2");
            return (64, $"{vendor} family {family}: 2 × 512-bit FMA pipes × 16 fp32 lanes × 2");
        }
        if (SimdTiers.Current == SimdTier.Avx2) return (32, "AVX2+FMA: 2 FMA pipes × 8 fp32 lanes × 2");
        // The portable tier multiplies and adds separately on 128-bit vectors.
        return (8, "portable tier (128-bit, no FMA): assumed 2 pipes × 4 fp32 lanes × 1");
    }

    /// <summary>Times a chain of dependent one-cycle integer adds/xors: iterations × 4 / seconds ≈ cycles per second.</summary>
    /// <remarks>Seconds are this thread's CPU time where the OS reports it (Linux), so time the thread spent
    /// descheduled on a busy machine does not read as a slow clock; elsewhere wall time, best of five.</remarks>
    private static double MeasureClockMhz()
    {
        const long Iterations = 20_000_000;
        double best = 0;
        for (int attempt = 0; attempt < 5; attempt++)
        {
            long start = Stopwatch.GetTimestamp();
            double cpuStart = ThreadCpuSeconds();
            long sink = DependentChain(Iterations, attempt + 3, attempt + 5);
            double cpuSeconds = ThreadCpuSeconds() - cpuStart;
            double seconds = cpuSeconds > 0 ? cpuSeconds : Stopwatch.GetElapsedTime(start).TotalSeconds;
            GC.KeepAlive(sink);
            best = Math.Max(best, Iterations * 4 / seconds / 1e6);
        }
        return best;
    }

    private const int ClockThreadCpuTimeId = 3; // CLOCK_THREAD_CPUTIME_ID on Linux

    /// <summary>CPU seconds this thread has run; 0 where the clock is not available.</summary>
    private static double ThreadCpuSeconds()
    {
        if (!OperatingSystem.IsLinux()) return 0;
        try
        {
            return clock_gettime(ClockThreadCpuTimeId, out TimeSpec time) == 0 ? time.Seconds + time.Nanoseconds * 1e-9 : 0;
        }
        catch (DllNotFoundException)
        {
            return 0;
        }
        catch (EntryPointNotFoundException)
        {
            return 0;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int clock_gettime(int clockId, out TimeSpec time);

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long DependentChain(long iterations, long y, long z)
    {
        long x = 0;
        for (long i = 0; i < iterations; i++)
        {
            x += y;
            x ^= z;
            x += y;
            x ^= z;
        }
        return x;
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

    private static double? ReadCpuinfoField(string name, bool takeMax)
    {
        double? best = null;
        foreach (string value in CpuinfoValues(name))
        {
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)) continue;
            if (!takeMax) return number;
            best = Math.Max(best ?? number, number);
        }
        return best;
    }

    private static string? ReadCpuinfoText(string name) => CpuinfoValues(name).FirstOrDefault();

    private static IEnumerable<string> CpuinfoValues(string name)
    {
        const string path = "/proc/cpuinfo";
        string[] lines;
        try
        {
            if (!File.Exists(path)) return [];
            lines = File.ReadAllLines(path);
        }
        catch (IOException) { return []; }
        catch (UnauthorizedAccessException) { return []; }
        var values = new List<string>();
        foreach (string line in lines)
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line.AsSpan(0, colon).Trim().SequenceEqual(name)) values.Add(line[(colon + 1)..].Trim());
        }
        return values;
    }
}
