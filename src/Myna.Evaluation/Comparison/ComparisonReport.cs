using System.Globalization;
using System.Net;
using System.Text;

namespace Myna.Evaluation.Comparison;

/// <summary>The comparison as Markdown and HTML: a table, the chart, and a recommendation that states the trade-off.</summary>
public static class ComparisonReport
{
    /// <summary>
    /// One paragraph: the best-quality model, the fastest, and when to choose which. A speed difference within the
    /// run-to-run spread of either model is called a tie, not a win.
    /// </summary>
    public static string Recommendation(IReadOnlyList<ModelMeasurement> models, string metric)
    {
        if (models.Count == 0) return "No models were compared.";
        ModelMeasurement best = models.MaxBy(m => ModelComparison.Quality(m, metric))!;
        ModelMeasurement fastest = models.MaxBy(m => m.DecodeTokensPerSecond)!;
        ModelMeasurement smallest = models.MinBy(m => m.MemoryBytes)!;
        string Q(ModelMeasurement m) => ModelComparison.FormatQuality(ModelComparison.Quality(m, metric), metric);
        string Ms(ModelMeasurement m) => (1000 / m.DecodeTokensPerSecond).ToString("F1", CultureInfo.InvariantCulture);
        if (models.Count == 1)
            return $"Only {best.Name} was measured: {metric} {Q(best)}, {best.DecodeTokensPerSecond:F0} tokens/s decode, {Mb(best.MemoryBytes)} MB.";
        // Equal sizes (two checkpoints of one shape) are no reason to mention memory.
        bool bestIsSmallest = best.MemoryBytes <= smallest.MemoryBytes;
        string LeastMemory() => bestIsSmallest ? "" : $"; {smallest.Name} needs the least memory ({Mb(smallest.MemoryBytes)} MB vs {Mb(best.MemoryBytes)} MB)";
        // The speed rival: the fastest other model when the best model is the fastest, else the fastest.
        ModelMeasurement rival = best == fastest ? models.Where(m => m != best).MaxBy(m => m.DecodeTokensPerSecond)! : fastest;
        (ModelMeasurement quicker, ModelMeasurement slower) = rival.DecodeTokensPerSecond > best.DecodeTokensPerSecond ? (rival, best) : (best, rival);
        double noise = Math.Max(best.Decode.Spread, rival.Decode.Spread);
        if (quicker.DecodeTokensPerSecond - slower.DecodeTokensPerSecond <= noise * quicker.DecodeTokensPerSecond)
            return $"Choose {best.Name}: it has the best {metric} ({Q(best)} against {Q(rival)} for {rival.Name}), and their decode speeds " +
                   $"({best.DecodeTokensPerSecond:F0} and {rival.DecodeTokensPerSecond:F0} tokens/s) differ by less than the run-to-run spread ({Percent(noise)}), " +
                   $"so neither is measurably faster{LeastMemory()}.";
        if (best == fastest)
            return $"Choose {best.Name}: it has the best {metric} ({Q(best)}) and is also the fastest ({best.DecodeTokensPerSecond:F0} tokens/s, " +
                   $"{Ms(best)} ms per token){(bestIsSmallest ? " and the smallest" : LeastMemory())}.";
        return $"Choose {best.Name} for quality: its {metric} is {Q(best)} against {Q(fastest)} for {fastest.Name}. " +
               $"Choose {fastest.Name} if latency matters more: it decodes at {fastest.DecodeTokensPerSecond:F0} tokens/s ({Ms(fastest)} ms per token) " +
               $"against {best.DecodeTokensPerSecond:F0} ({Ms(best)} ms per token), and needs {Mb(fastest.MemoryBytes)} MB against {Mb(best.MemoryBytes)} MB. " +
               $"A latency budget under {Ms(best)} ms per token rules out {best.Name}.";
    }

    /// <summary>Markdown with the table, the chart and the recommendation.</summary>
    public static string Markdown(IReadOnlyList<ModelMeasurement> models, string metric, string chartFile, DateTimeOffset when)
    {
        var text = new StringBuilder();
        text.AppendLine("# Model comparison").AppendLine();
        text.AppendLine($"Measured {when:yyyy-MM-dd HH:mm} UTC in one process on this machine. {SpeedMethod(models)}").AppendLine();
        text.AppendLine($"| model | directory | parameters | file MB | memory MB | prefill tok/s | decode tok/s | spread (prefill / decode) | perplexity | BLEU | ROUGE-L | exact match |");
        text.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (ModelMeasurement m in models)
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {m.Name} | `{m.Directory}` | {m.Parameters:N0} | {Mb(m.FileBytes)} | {Mb(m.MemoryBytes)} | {m.PrefillTokensPerSecond:F0} | {m.DecodeTokensPerSecond:F1} | {Percent(m.Prefill.Spread)} / {Percent(m.Decode.Spread)} | {m.Perplexity:F2} | {m.Task.CorpusBleu:F2} | {m.Task.MeanRougeL:F4} | {m.Task.ExactMatch:F3} |"));
        text.AppendLine();
        text.AppendLine($"![{metric} against decode speed]({chartFile})").AppendLine();
        text.AppendLine("## Recommendation").AppendLine();
        text.AppendLine(Recommendation(models, metric)).AppendLine();
        text.AppendLine("Memory is what one sequence needs: the weights as held in memory plus a full-context KV cache. BLEU is sacreBLEU's corpus BLEU (0-100); ROUGE-L is rouge-score's mean F-measure and exact match a fraction (both 0-1).");
        return text.ToString();
    }

    /// <summary>A self-contained HTML page with the same content.</summary>
    public static string Html(IReadOnlyList<ModelMeasurement> models, string metric, string chartFile, DateTimeOffset when)
    {
        static string E(string s) => WebUtility.HtmlEncode(s);
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Model comparison</title>");
        html.AppendLine("<style>body{font-family:system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:right}th:first-child,td:first-child{text-align:left}</style></head><body>");
        html.AppendLine("<h1>Model comparison</h1>");
        html.AppendLine($"<p>Measured {when:yyyy-MM-dd HH:mm} UTC in one process on this machine. {E(SpeedMethod(models))}</p>");
        html.AppendLine("<table><tr><th>model</th><th>directory</th><th>parameters</th><th>file MB</th><th>memory MB</th><th>prefill tok/s</th><th>decode tok/s</th><th>spread (prefill / decode)</th><th>perplexity</th><th>BLEU</th><th>ROUGE-L</th><th>exact match</th></tr>");
        foreach (ModelMeasurement m in models)
            html.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"<tr><td>{E(m.Name)}</td><td>{E(m.Directory)}</td><td>{m.Parameters:N0}</td><td>{Mb(m.FileBytes)}</td><td>{Mb(m.MemoryBytes)}</td><td>{m.PrefillTokensPerSecond:F0}</td><td>{m.DecodeTokensPerSecond:F1}</td><td>{Percent(m.Prefill.Spread)} / {Percent(m.Decode.Spread)}</td><td>{m.Perplexity:F2}</td><td>{m.Task.CorpusBleu:F2}</td><td>{m.Task.MeanRougeL:F4}</td><td>{m.Task.ExactMatch:F3}</td></tr>"));
        html.AppendLine("</table>");
        html.AppendLine($"<p><img src=\"{E(chartFile)}\" alt=\"{E(metric)} against decode speed\" width=\"800\"></p>");
        html.AppendLine($"<h2>Recommendation</h2><p>{E(Recommendation(models, metric))}</p>");
        html.AppendLine("</body></html>");
        return html.ToString();
    }

    /// <summary>How the speeds were measured, in one sentence, for the report and for the console.</summary>
    public static string SpeedMethod(IReadOnlyList<ModelMeasurement> models)
    {
        int runs = models.Count == 0 ? 0 : models[0].Decode.TokensPerSecond.Count;
        string timed = runs == 1 ? "one timed run" : $"the best of {runs} timed runs";
        return models.Count > 1
            ? $"Speed: for each model {timed} after one warm-up run, the models alternating (A B, B A, …) so that changes in machine load fall on all of them; spread = (best − slowest) / best."
            : $"Speed: {timed} after one warm-up run; spread = (best − slowest) / best.";
    }

    /// <summary>A fraction as a whole percentage ("3%"), one decimal below 10% ("2.5%").</summary>
    public static string Percent(double fraction) =>
        (fraction * 100).ToString(fraction < 0.1 ? "0.#" : "0", CultureInfo.InvariantCulture) + "%";

    private static string Mb(long bytes) => (bytes / 1e6).ToString("F1", CultureInfo.InvariantCulture);
}
