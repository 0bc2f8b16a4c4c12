using System.Text.Json;
using System.Text.Json.Nodes;

namespace Myna.Apps.Recommendation;

/// <summary>What <c>myna recommend eval</c> measured: the data after the protocol, the model alone, the hybrid it serves
/// (model + transitions) and both baselines on the test split (full and sampled ranking), and paired-bootstrap intervals
/// of the NDCG@10 gain over the better baseline, for the served recommender and for the model alone.</summary>
public sealed record RecommendationReport
{
    /// <summary>The factor over the better baseline's full-ranking NDCG the issue sets as the target (1.3).</summary>
    public const double TargetRatio = 1.3;

    /// <summary>The interactions' source.</summary>
    public required InteractionLog Log { get; init; }

    /// <summary>The data after the protocol.</summary>
    public required SequentialDataset Data { get; init; }

    /// <summary>The protocol applied.</summary>
    public required RecommendationProtocol Protocol { get; init; }

    /// <summary>The trained model's own description (settings, training time, size).</summary>
    public required SequenceModelInfo ModelInfo { get; init; }

    /// <summary>The cached model folder.</summary>
    public required string ModelFolder { get; init; }

    /// <summary>The held-out item every system predicted (test unless settings are being chosen on validation).</summary>
    public EvaluationSplit Split { get; init; } = EvaluationSplit.Test;

    /// <summary>Whether this run trained the model (false: a cached one was reused).</summary>
    public required bool TrainedNow { get; init; }

    /// <summary>The model's figures (the transformer alone).</summary>
    public required SystemEvaluation Model { get; init; }

    /// <summary>The hybrid's figures (model + transitions at the weight chosen on validation); null for a model folder
    /// trained before the hybrid, which serves the model alone.</summary>
    public SystemEvaluation? Hybrid { get; init; }

    /// <summary>The hybrid's NDCG@10 on this run's split at every candidate weight (null without a hybrid). For the
    /// record only: the served weight was chosen on the validation item when the model was trained.</summary>
    public IReadOnlyList<WeightTrial>? WeightSweep { get; init; }

    /// <summary>The recommender the model folder serves (<c>myna recommend for</c>, the endpoint): the hybrid when there is one.</summary>
    public SystemEvaluation Served => Hybrid ?? Model;

    /// <summary>The popularity baseline's figures.</summary>
    public required SystemEvaluation Popularity { get; init; }

    /// <summary>The Markov baseline's figures.</summary>
    public required SystemEvaluation Markov { get; init; }

    /// <summary>Wall-clock seconds of the whole evaluation (reading, training or loading, scoring).</summary>
    public required double WallSeconds { get; init; }

    /// <summary>The baseline with the higher full-ranking NDCG.</summary>
    public SystemEvaluation BetterBaseline => Markov.Full.Ndcg > Popularity.Full.Ndcg ? Markov : Popularity;

    /// <summary>The served recommender's full-ranking NDCG over the better baseline's.</summary>
    public double NdcgRatio => RatioOf(Served);

    /// <summary>The model alone's full-ranking NDCG over the better baseline's.</summary>
    public double ModelNdcgRatio => RatioOf(Model);

    /// <summary>The paired bootstrap of the per-user NDCG difference (served recommender − better baseline).</summary>
    public PairedBootstrap Gain => GainOf(Served);

    /// <summary>The paired bootstrap of the per-user NDCG difference (model alone − better baseline).</summary>
    public PairedBootstrap ModelGain => GainOf(Model);

    private double RatioOf(SystemEvaluation system) => BetterBaseline.Full.Ndcg > 0 ? system.Full.Ndcg / BetterBaseline.Full.Ndcg : double.PositiveInfinity;

    private PairedBootstrap GainOf(SystemEvaluation system) =>
        PairedBootstrap.Compute(system.PerUserNdcg, BetterBaseline.PerUserNdcg, Protocol.BootstrapResamples, Protocol.Seed);

    /// <summary>Whether the target holds for the served recommender: NDCG ≥ 1.3 × the better baseline's, with the interval excluding 0.</summary>
    public bool TargetMet => NdcgRatio >= TargetRatio && Gain.Low > 0;

    /// <summary>The report as one JSON object (the <c>--json</c> output).</summary>
    public string ToJson()
    {
        PairedBootstrap gain = Gain, modelGain = ModelGain;
        JsonObject Metrics(RankingMetrics m) => new() { ["hr@10"] = m.HitRate, ["ndcg@10"] = m.Ndcg, ["mrr"] = m.Mrr };
        JsonObject System(SystemEvaluation s) => new()
        {
            ["full"] = Metrics(s.Full),
            ["sampled"] = Metrics(s.Sampled),
            ["coverage@10"] = s.Coverage,
            ["long_tail_share@10"] = s.LongTailShare,
        };
        JsonObject model = System(Model);
        model["training_seconds"] = ModelInfo.TrainingSeconds;
        model["trained_now"] = TrainedNow;
        model["parameters"] = ModelInfo.Parameters;
        model["model_bytes"] = ModelInfo.ModelBytes;
        model["steps"] = ModelInfo.Steps;
        model["final_loss"] = ModelInfo.FinalLoss;
        model["settings"] = JsonSerializer.SerializeToNode(ModelInfo.Settings);
        model["folder"] = ModelFolder;
        JsonNode? hybrid = null;
        if (Hybrid is not null)
        {
            JsonObject node = System(Hybrid);
            node["transition_weight"] = ModelInfo.TransitionWeight?.Weight;
            node["weight_search_validation"] = JsonSerializer.SerializeToNode(ModelInfo.TransitionWeight?.Tried);
            node["weight_sweep_this_split"] = JsonSerializer.SerializeToNode(WeightSweep);
            hybrid = node;
        }
        var root = new JsonObject
        {
            ["data"] = new JsonObject
            {
                ["source"] = Log.Source,
                ["rows_dropped"] = Log.DroppedRows,
                ["dropped_lines"] = new JsonArray([.. Log.DroppedLines.Select(l => (JsonNode)l)]),
                ["interactions"] = Data.Interactions,
                ["users"] = Data.Users.Count,
                ["users_dropped"] = Data.UsersDropped,
                ["items"] = Data.Vocabulary.Count,
                ["tied_timestamps"] = Data.TiedInteractions,
            },
            ["protocol"] = new JsonObject
            {
                ["split"] = Split == EvaluationSplit.Test ? "leave-one-out, test = last interaction" : "leave-one-out, validation = second-last interaction",
                ["tie_break"] = "movieId",
                ["min_interactions"] = Protocol.MinInteractions,
                ["history_cap"] = Protocol.HistoryCap,
                ["cutoff"] = Protocol.Cutoff,
                ["sampled_negatives"] = Protocol.SampledNegatives,
                ["seed"] = Protocol.Seed,
                ["long_tail"] = $"items outside the most popular that hold {Protocol.HeadShare:0.##} of training interactions",
            },
            ["model"] = model,
            ["hybrid"] = hybrid,
            ["baselines"] = new JsonObject { ["popularity"] = System(Popularity), ["markov"] = System(Markov) },
            ["comparison"] = new JsonObject
            {
                ["better_baseline"] = BetterBaseline.Name,
                ["system"] = Served.Name,
                ["ndcg@10_ratio"] = double.IsFinite(NdcgRatio) ? NdcgRatio : null,
                ["ndcg@10_gain"] = gain.MeanDifference,
                ["ci95"] = new JsonArray(gain.Low, gain.High),
                ["bootstrap_resamples"] = gain.Resamples,
                ["target"] = $"full-ranking NDCG@10 >= {TargetRatio} x the better baseline, CI excluding 0",
                ["target_met"] = TargetMet,
                ["model_alone"] = new JsonObject
                {
                    ["ndcg@10_ratio"] = double.IsFinite(ModelNdcgRatio) ? ModelNdcgRatio : null,
                    ["ndcg@10_gain"] = modelGain.MeanDifference,
                    ["ci95"] = new JsonArray(modelGain.Low, modelGain.High),
                },
            },
            ["wall_seconds"] = WallSeconds,
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
