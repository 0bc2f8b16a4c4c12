using System.Text;
using System.Text.Json;

namespace Myna.Bench.Gemm;

/// <summary>Everything one run of the GEMM benchmark measured.</summary>
/// <param name="Results">One entry per shape, layout and thread count.</param>
/// <param name="Peak">The FMA peak of one core at the tier Myna ran.</param>
/// <param name="Kernel">Myna's micro-kernel, e.g. "avx2+fma 6x16".</param>
/// <param name="OpenBlasLibrary">The OpenBLAS library that loaded; null without the peer.</param>
/// <param name="MynaIsa">The instruction-set tier Myna ran (<c>avx512</c>, <c>avx2</c>, <c>portable</c>).</param>
/// <param name="OpenBlasCore">The kernels OpenBLAS ran (<c>openblas_get_corename</c>); null without the peer.</param>
public sealed record GemmBenchReport(
    IReadOnlyList<GemmBenchResult> Results, CpuPeak Peak, string Kernel, string? OpenBlasLibrary,
    string MynaIsa, string? OpenBlasCore)
{
    /// <summary>Geometric mean over all cases of ours ÷ OpenBLAS (best runs), per thread count; empty without the peer.</summary>
    public IReadOnlyDictionary<int, double> GeomeanRatioVsOpenBlas { get; } = Geomeans(Results);

    /// <summary>
    /// One JSON object: <c>{"results":[{"m","n","k","layout","threads","gflops_best","gflops_median",
    /// "openblas_gflops_best",...}], "peak_gflops_per_core", "geomean_ratio_vs_openblas", "myna_isa", "myna_kernel",
    /// "openblas_core", ...}</c>.
    /// </summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("results");
            foreach (GemmBenchResult r in Results)
            {
                json.WriteStartObject();
                json.WriteNumber("m", r.M);
                json.WriteNumber("n", r.N);
                json.WriteNumber("k", r.K);
                json.WriteString("layout", r.Layout.ToString());
                json.WriteNumber("threads", r.Threads);
                json.WriteNumber("gflops_best", Math.Round(r.GflopsBest, 2));
                json.WriteNumber("gflops_median", Math.Round(r.GflopsMedian, 2));
                WriteNullable(json, "openblas_gflops_best", r.OpenBlasGflopsBest);
                WriteNullable(json, "openblas_gflops_median", r.OpenBlasGflopsMedian);
                WriteNullable(json, "ratio_vs_openblas", r.RatioVsOpenBlas, 3);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            WriteNullable(json, "peak_gflops_per_core", Peak.GflopsPerCore);
            json.WriteNumber("peak_flop_per_cycle", Peak.FlopPerCycle);
            json.WriteNumber("measured_clock_mhz", Math.Round(Peak.MeasuredClockMhz));
            json.WriteNumber("peak_gflops_per_core_at_measured_clock", Math.Round(Peak.GflopsPerCoreAtMeasuredClock, 1));
            json.WriteString("peak_note", Peak.Note);
            json.WriteStartObject("geomean_ratio_vs_openblas");
            foreach ((int threads, double ratio) in GeomeanRatioVsOpenBlas)
                json.WriteNumber(threads.ToString(System.Globalization.CultureInfo.InvariantCulture), Math.Round(ratio, 3));
            json.WriteEndObject();
            json.WriteString("kernel", Kernel);
            json.WriteString("myna_isa", MynaIsa);
            json.WriteString("myna_kernel", Kernel);
            if (OpenBlasLibrary is null) json.WriteNull("openblas");
            else json.WriteString("openblas", OpenBlasLibrary);
            if (OpenBlasCore is null) json.WriteNull("openblas_core");
            else json.WriteString("openblas_core", OpenBlasCore);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value, int digits = 2)
    {
        if (value is { } v) json.WriteNumber(name, Math.Round(v, digits));
        else json.WriteNull(name);
    }

    private static SortedDictionary<int, double> Geomeans(IReadOnlyList<GemmBenchResult> results)
    {
        var geomeans = new SortedDictionary<int, double>();
        foreach (IGrouping<int, GemmBenchResult> group in results.GroupBy(r => r.Threads))
        {
            double[] logs = group.Where(r => r.RatioVsOpenBlas is not null).Select(r => Math.Log(r.RatioVsOpenBlas!.Value)).ToArray();
            if (logs.Length > 0) geomeans[group.Key] = Math.Exp(logs.Average());
        }
        return geomeans;
    }
}
