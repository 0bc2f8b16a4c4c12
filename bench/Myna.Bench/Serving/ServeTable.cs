using System.Globalization;

namespace Myna.Bench.Serving;

/// <summary>Writes a <see cref="ServeReport"/> as terminal tables: per model the load runs, the scenarios, and the ratios against their targets.</summary>
public static class ServeTable
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>How far the engine's second measurement may stray from the first before the table warns.</summary>
    private const double DriftWarning = 0.15;

    /// <summary>Writes the whole report.</summary>
    public static void Write(ServeReport report, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"myna bench serve: Myna at {report.Isa}, {report.Threads} threads" +
            (report.LlamaBuild is null ? "" : $"; llama.cpp's {report.LlamaBuild} build, Myna's workers parked while it runs") +
            $"; every request: {report.PromptTokens}-token random prompt, {report.NewTokens} new tokens (ignore_eos), greedy, streamed");
        foreach (ModelServeReport model in report.Models)
        {
            output.WriteLine();
            WriteModel(model, output);
        }
    }

    /// <summary>"200×16 429×112": statuses and their counts.</summary>
    public static string Statuses(IReadOnlyDictionary<string, int> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        return string.Join(' ', statuses.Select(p => $"{p.Key}×{p.Value.ToString(C)}"));
    }

    private static void WriteModel(ModelServeReport m, TextWriter output)
    {
        output.WriteLine($"{m.Model} ({m.Dtype}, {m.Shape}, {m.Source})");
        string peer = m.Llama is null ? "" : string.Format(C, "; llama.cpp ({0}): batch 1 {1:F1}, batch {2} {3:F1} tok/s", m.Llama.Dtype, m.Llama.DecodeTokensPerSecond, m.Llama.Batch, m.Llama.BatchDecodeTokensPerSecond);
        output.WriteLine(string.Format(C, "  bare engine decode: batch 1 {0:F1}, batch {1} {2:F1} tok/s{3}", m.Engine.DecodeTokensPerSecond, m.Engine.Batch, m.Engine.BatchDecodeTokensPerSecond, peer));
        if (m.EngineAfter is { } after && m.EngineDrift is { } drift)
        {
            bool moved = drift.Any(d => Math.Abs(d - 1) > DriftWarning);
            output.WriteLine(string.Format(C, "  bare engine again after the load runs: batch 1 {0:F1}, batch {1} {2:F1} tok/s ({3:F2}× and {4:F2}× the figures above){5}",
                after.DecodeTokensPerSecond, after.Batch, after.BatchDecodeTokensPerSecond, drift[0], drift[1],
                moved ? " — this machine's speed moved during the run: the ratios below compare figures taken at different speeds" : ""));
        }
        output.WriteLine($"  {"run",-13} {"conc",4} {"slots",5} {"req",5} {"ok",5} {"err",4} {"req/s",7} {"tok/s",8}  {"ttft p50/p95/p99 ms",-21} {"e2e p50/p95/p99 ms",-22} {"itl p50/p99 ms",-14}");
        foreach (LoadRunSummary run in m.Runs) WriteRun("load", run, output);
        if (m.BatchingOff is { } off) WriteRun("batching off", off, output);
        if (m.Endurance is { } endurance) WriteRun(string.Create(C, $"endure {endurance.Seconds:F0}s"), endurance.Run, output);
        if (m.Overload is { } overload)
        {
            output.WriteLine(string.Format(C, "  overload: concurrency {0}, --max-queue {1}, {2} requests: {3}; only 200 and 429: {4}",
                overload.Run.Concurrency, overload.Run.MaxQueue, overload.Run.Requests, Statuses(overload.Run.Statuses), overload.OnlyOkAndTooManyRequests ? "yes" : "NO"));
        }
        if (m.Interference is { } i)
        {
            output.WriteLine(string.Format(C, "  prefill interference: a {0}-token prompt joins {1} streams (prefill chunk {2}): their itl p50 {3:F1} ms, p99 {4:F1} ms, max {5:F1} ms over {6} gaps; joiner ttft {7:F0} ms; {8} errors",
                i.JoiningPromptTokens, i.Streams, i.PrefillChunk, i.InterTokenP50, i.InterTokenP99, i.InterTokenMax, i.Gaps, i.JoiningTimeToFirstToken, i.Errors));
        }
        if (m.Endurance is { } e) output.WriteLine($"  endurance: {(e.Met ? "met" : "NOT met")} ({e.Run.Errors} errors, {e.Run.Lost} lost of {e.Run.Requests})");
        foreach (SchedulerBaselineRun b in m.SchedulerBaseline)
        {
            LoadRunSummary? run = m.Runs.FirstOrDefault(r => r.Concurrency == b.Concurrency);
            if (run is null) continue;
            output.WriteLine(string.Format(C, "  serving cost, concurrency {0}: server {1:F1} ÷ scheduler alone on the same requests {2:F1} tok/s = {3:F2} (prefill included in both)",
                b.Concurrency, run.OutputTokensPerSecond, b.OutputTokensPerSecond, run.OutputTokensPerSecond / b.OutputTokensPerSecond));
        }
        if (m.Ratios.Count == 0) return;
        output.WriteLine($"  {"ratio",-24} {"value",7} {"target",8}  met  what");
        foreach (ServeRatio r in m.Ratios)
            output.WriteLine(string.Format(C, "  {0,-24} {1,7:F2} {2,2}{3,6:F2}  {4,-4} {5}", r.Name, r.Value, r.AtMost ? "≤" : "≥", r.Target, r.Met ? "yes" : "no", r.Description));
    }

    private static void WriteRun(string name, LoadRunSummary r, TextWriter output) =>
        output.WriteLine(string.Format(C, "  {0,-13} {1,4} {2,5} {3,5} {4,5} {5,4} {6,7:F2} {7,8:F1}  {8,-21} {9,-22} {10,-14}",
            name, r.Concurrency, r.Parallel, r.Requests, r.Completed, r.Errors, r.RequestsPerSecond, r.OutputTokensPerSecond,
            Three(r.TimeToFirstToken), Three(r.EndToEnd), r.InterToken is { } itl ? string.Format(C, "{0:F1}/{1:F1}", itl.P50, itl.P99) : "-"));

    private static string Three(LatencyPercentiles? p) => p is null ? "-" : string.Format(C, "{0:F0}/{1:F0}/{2:F0}", p.P50, p.P95, p.P99);
}
