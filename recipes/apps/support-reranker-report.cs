// Prints the dev comparison of recipes/support-reranker.sh: BM25 alone against BM25 + query-likelihood re-ranking with
// the fine-tuned model and with the default model, at each weight, from the JSON that `myna support eval --json` wrote.
//   dotnet run recipes/apps/support-reranker-report.cs -- WORK_FOLDER WEIGHT...
// The issue's rule: the re-ranker is kept only if it wins on dev. A win here is MRR@10 overall up by at least
// MinimumGain (about one of the ~86 answerable dev questions moving from rank 2 to rank 1) with hit@1 not lower:
// smaller moves are one question's rank shuffling, not a better system.
using System.Globalization;
using System.Text.Json;

if (args.Length < 2) { Console.Error.WriteLine("usage: support-reranker-report.cs WORK_FOLDER WEIGHT..."); return 2; }
string work = args[0];
var c = CultureInfo.InvariantCulture;
Console.WriteLine("dev (held out), MRR@10 overall / en / zh, hit@1 overall");
const double MinimumGain = 0.005;
bool printedBm25 = false, wins = false;
foreach (string weight in args[1..])
{
    foreach ((string label, string file) in new[] { ("fine-tuned", $"eval-dev-rerank-{weight}.json"), ("default", $"eval-dev-base-rerank-{weight}.json") })
    {
        string path = Path.Combine(work, file);
        if (!File.Exists(path)) { Console.WriteLine($"  {label} at {weight}: {path} missing"); continue; }
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement baselines = report.RootElement.GetProperty("baselines");
        if (!printedBm25)
        {
            Console.WriteLine($"  bm25 alone:                 {Line(baselines.GetProperty("bm25"))}");
            printedBm25 = true;
        }
        JsonElement reranked = baselines.GetProperty("bm25+rerank");
        Console.WriteLine($"  + rerank, {label,-10} W {weight,-5}: {Line(reranked)}");
        if (label == "fine-tuned"
            && Metric(reranked, "overall", "mrr@10") >= Metric(baselines.GetProperty("bm25"), "overall", "mrr@10") + MinimumGain
            && Metric(reranked, "overall", "hit@1") >= Metric(baselines.GetProperty("bm25"), "overall", "hit@1"))
            wins = true;
    }
}
Console.WriteLine(wins
    ? $"the fine-tuned re-ranker wins on dev at some weight (MRR@10 +{MinimumGain} or more, hit@1 not lower)"
    : $"the fine-tuned re-ranker does not win on dev (no weight gains {MinimumGain} MRR@10 with hit@1 not lower): not kept");
return 0;

string Line(JsonElement system) => string.Format(c, "{0:F3} / {1:F3} / {2:F3}, hit@1 {3:F3}",
    Metric(system, "overall", "mrr@10"), Metric(system, "en", "mrr@10"), Metric(system, "zh", "mrr@10"), Metric(system, "overall", "hit@1"));

static double Metric(JsonElement system, string part, string name) => system.GetProperty(part).GetProperty(name).GetDouble();
