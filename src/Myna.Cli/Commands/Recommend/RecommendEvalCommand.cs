using System.CommandLine;
using System.Globalization;
using Myna.Apps.Recommendation;
using Spectre.Console;

namespace Myna.Cli.Commands.Recommend;

/// <summary><c>myna recommend eval</c>: the model and both baselines under the leave-one-out protocol.</summary>
internal static class RecommendEvalCommand
{
    public static Command Create()
    {
        var shared = new RecommendOptions();
        var retrain = new Option<bool>("--retrain") { Description = "Train a new model even when one is cached for this data." };
        var json = new Option<bool>("--json")
        {
            Description = "Print one JSON object: {data, protocol, model: {full, sampled, coverage@10, long_tail_share@10, training_seconds, parameters, model_bytes, …}, " +
                "hybrid: {full, sampled, …, transition_weight, weight_search_validation, weight_sweep_this_split}, baselines: {popularity, markov}, " +
                "comparison: {better_baseline, system, ndcg@10_ratio, ndcg@10_gain, ci95, target_met, model_alone: {ndcg@10_ratio, ndcg@10_gain, ci95}}, wall_seconds}; " +
                "full and sampled hold hr@10, ndcg@10, mrr. The hybrid (model + transitions, the recommender `recommend for` and the endpoint serve) is null for a model trained before it existed.",
        };
        var split = new Option<string>("--split")
        {
            Description = "Which held-out item every system predicts: test (the last interaction) or validation (the second-last, also never trained on: choose settings there, then run the test once).",
            DefaultValueFactory = _ => "test",
        };
        split.AcceptOnlyFromAmong("test", "validation");
        var command = new Command("eval",
            "Evaluate the recommender beside the popularity and item-to-item (first-order Markov) baselines, computed in the same run: " +
            "interactions ordered by time (ties by movieId, counted), users with 5 or more, leave-one-out (last = test), histories capped at 200; " +
            "HR@10, NDCG@10 and MRR over all unseen items and over 100 sampled negatives, coverage and long-tail share of the top 10, " +
            "and a paired-bootstrap 95% interval of the NDCG@10 gain over the better baseline. The model is trained first unless cached.\n\n" +
            "Examples:\n" +
            "  myna recommend eval\n" +
            "  myna recommend eval --json\n" +
            "  myna recommend eval --split validation --dropout 0.3 --json   # choose settings on validation\n" +
            "  myna recommend eval --data ml-1m/ratings.dat --json")
        {
            retrain, json, split,
        };
        shared.AddTo(command);
        command.SetAction((parsed, cancellation) =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output, error = parsed.InvocationConfiguration.Error;
            (InteractionLog log, string path) = shared.ReadLog(parsed);
            RecommendOptions.ReportDropped(error, log);
            RecommendationReport report = RecommendationEvaluation.Run(log, new RecommendationProtocol(), shared.Settings(parsed), shared.CacheRoot(parsed, path),
                parsed.GetValue(retrain), RecommendOptions.ProgressTo(error), cancellation,
                parsed.GetValue(split) == "validation" ? EvaluationSplit.Validation : EvaluationSplit.Test);
            if (parsed.GetValue(json)) output.WriteLine(report.ToJson());
            else WriteTable(output, report);
            return Task.FromResult(MynaApp.Success);
        });
        return command;
    }

    private static void WriteTable(TextWriter output, RecommendationReport report)
    {
        IAnsiConsole console = Terminal.For(output);
        SequentialDataset data = report.Data;
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(
            $"recommend eval: {data.Users.Count:N0} users, {data.Vocabulary.Count:N0} items, {data.Interactions:N0} interactions " +
            (report.Split == EvaluationSplit.Test ? "(test = last)" : "(validation = second-last)")));
        // Systems across, metrics down: the table stays narrow.
        SystemEvaluation[] systems = report.Hybrid is { } hybrid
            ? [hybrid, report.Model, report.Popularity, report.Markov]
            : [report.Model, report.Popularity, report.Markov];
        table.AddColumn("metric");
        foreach (SystemEvaluation system in systems) table.AddColumn(system.Name, c => c.RightAligned());
        (string Metric, Func<SystemEvaluation, double> Value)[] rows =
        [
            ("HR@10", s => s.Full.HitRate), ("NDCG@10", s => s.Full.Ndcg), ("MRR", s => s.Full.Mrr),
            ("HR@10, 100 negatives", s => s.Sampled.HitRate), ("NDCG@10, 100 negatives", s => s.Sampled.Ndcg), ("MRR, 100 negatives", s => s.Sampled.Mrr),
            ("coverage@10", s => s.Coverage), ("long-tail share@10", s => s.LongTailShare),
        ];
        foreach ((string metric, Func<SystemEvaluation, double> value) in rows) table.AddRow([metric, .. systems.Select(s => F(value(s)))]);
        console.Write(table);
        PairedBootstrap gain = report.Gain, modelGain = report.ModelGain;
        SequenceModelInfo info = report.ModelInfo;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"NDCG@10 of {report.Served.Name} vs {report.BetterBaseline.Name}: ×{report.NdcgRatio:F2}, gain {gain.MeanDifference:F4} (95% CI {gain.Low:F4} to {gain.High:F4}); " +
            $"target (×{RecommendationReport.TargetRatio}, CI above 0): {(report.TargetMet ? "met" : "not met")}"));
        if (report.Hybrid is not null)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"model alone vs {report.BetterBaseline.Name}: ×{report.ModelNdcgRatio:F2}, gain {modelGain.MeanDifference:F4} (95% CI {modelGain.Low:F4} to {modelGain.High:F4}); " +
                $"transition weight {info.TransitionWeight?.Weight:0.##}, chosen on the validation item"));
        }
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"model: {info.Parameters:N0} parameters, {info.ModelBytes / 1e6:F1} MB, trained {info.Steps} steps in {info.TrainingSeconds:F0} s" +
            $"{(report.TrainedNow ? "" : " (cached)")}; {data.TiedInteractions:N0} interactions share a timestamp (ordered by movieId); " +
            $"{data.UsersDropped} users under {report.Protocol.MinInteractions} interactions left out; wall {report.WallSeconds:F0} s"));
    }

    private static string F(double value) => value.ToString("F4", CultureInfo.InvariantCulture);
}
