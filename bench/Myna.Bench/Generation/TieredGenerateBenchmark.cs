using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Myna.Tensors;

namespace Myna.Bench.Generation;

/// <summary>
/// <c>myna bench generate --isa all</c>: the benchmark once per instruction-set tier this CPU supports, each in its own
/// child process held to that tier (<see cref="IsaRelaunch"/>), so the tiers' rows and their ratios come from one run
/// on one machine.
/// </summary>
public static class TieredGenerateBenchmark
{
    /// <summary>
    /// Runs <paramref name="tiers"/> one after another (highest first) in child processes, each given
    /// <paramref name="childArguments"/> for its tier (which must make it print <see cref="GenerateReport"/> JSON).
    /// </summary>
    /// <exception cref="InvalidOperationException">A child failed or printed no report.</exception>
    public static IReadOnlyList<GenerateReport> Measure(IEnumerable<SimdTier> tiers, Func<SimdTier, IReadOnlyList<string>> childArguments, TextWriter? progress = null)
    {
        ArgumentNullException.ThrowIfNull(tiers);
        ArgumentNullException.ThrowIfNull(childArguments);
        var reports = new List<GenerateReport>();
        foreach (SimdTier tier in tiers.OrderDescending())
        {
            string name = SimdTiers.Name(tier);
            progress?.WriteLine($"--isa {name}: a child process held to that tier…");
            (int exitCode, string output) = IsaRelaunch.RunCapturing(tier, childArguments(tier));
            if (exitCode != 0) throw new InvalidOperationException($"the --isa {name} run failed with exit code {exitCode}.");
            string? line = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            GenerateReport report = (line is null ? null : JsonSerializer.Deserialize<GenerateReport>(line))
                ?? throw new InvalidOperationException($"the --isa {name} run printed no report.");
            reports.Add(report);
        }
        return reports;
    }

    /// <summary>
    /// Each Myna figure of a lower tier as a fraction of the same dtype's figure one tier up (portable ÷ avx2,
    /// avx2 ÷ avx512): how much a machine without the wider instructions keeps.
    /// </summary>
    public static IReadOnlyList<TierRatio> Ratios(IReadOnlyList<GenerateReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var ratios = new List<TierRatio>();
        foreach (GenerateReport lower in reports)
        {
            if (!SimdTiers.TryParse(lower.Isa, out SimdTier tier) || tier == SimdTier.Avx512) continue;
            GenerateReport? upper = reports.FirstOrDefault(r => SimdTiers.TryParse(r.Isa, out SimdTier t) && t == tier + 1);
            if (upper is null) continue;
            foreach (GenerateResult low in lower.Results.Where(r => r.Engine == "myna"))
            {
                GenerateResult? high = upper.Results.FirstOrDefault(r => r.Engine == "myna" && r.Dtype == low.Dtype);
                if (high is null) continue;
                ratios.Add(new TierRatio(lower.Isa, upper.Isa, low.Dtype, low.PrefillTokensPerSecond / high.PrefillTokensPerSecond,
                    low.DecodeTokensPerSecond / high.DecodeTokensPerSecond, low.BatchDecodeTokensPerSecond / high.BatchDecodeTokensPerSecond));
            }
        }
        return ratios;
    }

    /// <summary>Writes every tier's table, then the ratios between tiers.</summary>
    public static void WriteTable(IReadOnlyList<GenerateReport> reports, TextWriter output, GenerateOptions options)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(output);
        foreach (GenerateReport report in reports)
        {
            GenerateBenchmark.WriteTable(report, output, options);
            output.WriteLine();
        }
        IReadOnlyList<TierRatio> ratios = Ratios(reports);
        if (ratios.Count == 0) return;
        output.WriteLine("Myna, lower tier ÷ next tier up (prefill, decode, batch):");
        foreach (TierRatio r in ratios)
            output.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,-8} ÷ {1,-6} {2,-5} {3:F2}x  {4:F2}x  {5:F2}x",
                r.Isa, r.RelativeTo, r.Dtype, r.Prefill, r.Decode, r.BatchDecode));
    }

    /// <summary>Writes every tier's report and the ratios as one JSON object.</summary>
    public static void WriteJson(IReadOnlyList<GenerateReport> reports, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine(JsonSerializer.Serialize(new TieredReport(reports, Ratios(reports))));
    }

    private sealed record TieredReport(
        [property: JsonPropertyName("tiers")] IReadOnlyList<GenerateReport> Tiers,
        [property: JsonPropertyName("tier_ratios")] IReadOnlyList<TierRatio> TierRatios);
}
