using System.Diagnostics;
using Myna.Training;

namespace Myna.Apps.Recommendation;

/// <summary>The whole evaluation behind <c>myna recommend eval</c>: the protocol, the (cached) model alone and as the
/// hybrid it serves, both baselines, all scored on the same users and sampled negatives.</summary>
public static class RecommendationEvaluation
{
    /// <summary>
    /// Runs the evaluation on <paramref name="log"/>; the model is trained or reused under <paramref name="cacheRoot"/>.
    /// <paramref name="split"/> says which held-out item every system predicts: the test item (the last), or the
    /// validation item (the second-last, never trained on either), on which settings are chosen before the test is run.
    /// </summary>
    /// <exception cref="InvalidDataException">No user has enough interactions.</exception>
    /// <exception cref="TrainingOptionsException">The settings make no valid training run.</exception>
    public static RecommendationReport Run(InteractionLog log, RecommendationProtocol protocol, SequenceModelSettings settings, string cacheRoot,
        bool retrain = false, Action<TrainingProgress>? progress = null, CancellationToken cancellation = default, EvaluationSplit split = EvaluationSplit.Test)
    {
        var clock = Stopwatch.StartNew();
        SequentialDataset data = SequentialDataset.Build(log, protocol);
        SequenceModel model = SequenceModelTrainer.TrainOrLoad(data, log, protocol, settings, cacheRoot, out bool trained, retrain, progress, cancellation);
        SystemEvaluation modelResult;
        SystemEvaluation? hybrid = null;
        IReadOnlyList<WeightTrial>? sweep = null;
        TransitionTable transitions;
        if (model.Recommender is HybridRecommender recommender)
        {
            // One scoring of every user gives the model alone, the served hybrid and, for the record, every candidate
            // weight on this split (the served weight itself was chosen on validation).
            (modelResult, IReadOnlyList<SystemEvaluation> atWeights) = HybridRecommender.EvaluateAll(model, recommender.Transitions, data, protocol, split);
            int served = HybridRecommender.CandidateWeights.ToList().IndexOf(recommender.Weight);
            hybrid = served >= 0 ? atWeights[served] : RankingEvaluator.Evaluate(recommender, data, protocol, split);
            sweep = HybridRecommender.Trials(atWeights);
            transitions = recommender.Transitions; // counted from these training parts: the cache key holds the data
        }
        else
        {
            modelResult = RankingEvaluator.Evaluate(model, data, protocol, split);
            transitions = TransitionTable.FromTraining(data);
        }
        SystemEvaluation popularity = RankingEvaluator.Evaluate(new PopularityRecommender(data.TrainCounts), data, protocol, split);
        SystemEvaluation markov = RankingEvaluator.Evaluate(new MarkovRecommender(transitions), data, protocol, split);
        return new RecommendationReport
        {
            Log = log,
            Data = data,
            Protocol = protocol,
            ModelInfo = model.Info,
            ModelFolder = model.Folder,
            TrainedNow = trained,
            Model = modelResult,
            Hybrid = hybrid,
            WeightSweep = sweep,
            Popularity = popularity,
            Markov = markov,
            Split = split,
            WallSeconds = clock.Elapsed.TotalSeconds,
        };
    }
}
