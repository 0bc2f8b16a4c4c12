using System.Runtime.InteropServices;
using Myna.Generation.Sampling;

namespace Myna.Apps.Recommendation;

/// <summary>
/// The sequence model and the item-to-item evidence together, as FPMC and Fossil combine a long-range model with a
/// first-order chain: score(i) = log p_model(i | history) + w · log p(i | last item), the second from
/// <see cref="TransitionTable.LogProbabilities"/>. The weight is chosen on the validation item when the model is
/// trained (<see cref="ChooseWeight"/>); w = 0 ranks exactly as the model alone.
/// </summary>
/// <remarks>
/// Why both: on ml-latest-small the transformer and the Markov chain score alike on the last item (NDCG@10 0.063 each
/// on validation) but are right on different users; about a fifth of the ratings come in same-second batches ordered by
/// movieId, whose exact successions a counted table keeps and a 64-wide model with dropout smooths away.
/// </remarks>
public sealed class HybridRecommender(SequenceModel model, TransitionTable transitions, double weight) : ISequentialRecommender
{
    /// <summary>The name reports use.</summary>
    public const string SystemName = "model+markov";

    /// <summary>The weights tried on the validation item, in order: 0 (the model alone) up to 3.</summary>
    public static readonly IReadOnlyList<double> CandidateWeights = [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3];

    /// <inheritdoc />
    public string Name => SystemName;

    /// <summary>The weight of the transition term.</summary>
    public double Weight => weight;

    /// <summary>The sequence model.</summary>
    public SequenceModel Model => model;

    /// <summary>The transition evidence.</summary>
    public TransitionTable Transitions => transitions;

    /// <inheritdoc />
    public void Score(IReadOnlyList<ReadOnlyMemory<int>> histories, Span<float> scores)
    {
        model.Score(histories, scores);
        Combine(histories, scores, transitions, weight);
    }

    /// <summary>Turns each row of model logits in <paramref name="scores"/> into the hybrid's scores in place.</summary>
    private static void Combine(IReadOnlyList<ReadOnlyMemory<int>> histories, Span<float> scores, TransitionTable transitions, double weight)
    {
        int items = transitions.Items;
        var evidence = new float[items];
        for (int u = 0; u < histories.Count; u++)
        {
            Span<float> row = scores.Slice(u * items, items);
            ToLogProbabilities(row);
            if (weight == 0) continue;
            ReadOnlySpan<int> history = histories[u].Span;
            transitions.LogProbabilities(history.Length == 0 ? null : history[^1], evidence);
            float w = (float)weight;
            for (int i = 0; i < items; i++) row[i] += w * evidence[i];
        }
    }

    /// <summary>Log-softmax over the row, so the model's term is a log probability like the transition term.</summary>
    private static void ToLogProbabilities(Span<float> row)
    {
        (float max, double logSum) = LogitsProcessing.LogSoftmaxNormalizer(row);
        float shift = (float)(max + logSum);
        for (int i = 0; i < row.Length; i++) row[i] -= shift;
    }

    /// <summary>
    /// The weight among <see cref="CandidateWeights"/> with the best full-ranking NDCG@10 on the validation item (the
    /// second-last interaction, which neither the model nor the table was trained on); ties go to the smaller weight.
    /// </summary>
    public static WeightChoice ChooseWeight(SequenceModel model, TransitionTable transitions, SequentialDataset data, RecommendationProtocol protocol)
    {
        IReadOnlyList<WeightTrial> tried = Sweep(model, transitions, data, protocol, EvaluationSplit.Validation);
        WeightTrial best = tried[0];
        foreach (WeightTrial trial in tried.Skip(1))
        {
            if (trial.Ndcg > best.Ndcg) best = trial;
        }
        return new WeightChoice(best.Weight, tried);
    }

    /// <summary>Full-ranking NDCG@10 on <paramref name="split"/> at each of <see cref="CandidateWeights"/>.</summary>
    public static IReadOnlyList<WeightTrial> Sweep(SequenceModel model, TransitionTable transitions, SequentialDataset data, RecommendationProtocol protocol, EvaluationSplit split) =>
        Trials(EvaluateAll(model, transitions, data, protocol, split).AtWeights);

    /// <summary>Each candidate weight with the NDCG@10 its evaluation reached (<paramref name="atWeights"/> in <see cref="CandidateWeights"/>' order).</summary>
    public static IReadOnlyList<WeightTrial> Trials(IReadOnlyList<SystemEvaluation> atWeights) =>
        [.. CandidateWeights.Select((weight, i) => new WeightTrial(weight, atWeights[i].Full.Ndcg))];

    /// <summary>
    /// The model alone (its logits as they are) and the hybrid at each of <see cref="CandidateWeights"/>, in that
    /// order, on <paramref name="split"/>. The model scores each user once; only the combination is repeated per weight.
    /// </summary>
    public static (SystemEvaluation ModelAlone, IReadOnlyList<SystemEvaluation> AtWeights) EvaluateAll(SequenceModel model, TransitionTable transitions,
        SequentialDataset data, RecommendationProtocol protocol, EvaluationSplit split)
    {
        var logits = new PrecomputedScores(model, data, protocol, split);
        SystemEvaluation alone = RankingEvaluator.Evaluate(new PrecomputedRows(model.Name, logits, transitions, null), data, protocol, split);
        var atWeights = new SystemEvaluation[CandidateWeights.Count];
        for (int i = 0; i < atWeights.Length; i++)
            atWeights[i] = RankingEvaluator.Evaluate(new PrecomputedRows(SystemName, logits, transitions, CandidateWeights[i]), data, protocol, split);
        return (alone, atWeights);
    }

    /// <summary>The model's logits for every user's history on one split, computed once and served by the history's array.</summary>
    private sealed class PrecomputedScores
    {
        private readonly Dictionary<int[], int> _rowOf = new(ReferenceEqualityComparer.Instance);
        private readonly float[] _logits;

        public PrecomputedScores(SequenceModel model, SequentialDataset data, RecommendationProtocol protocol, EvaluationSplit split)
        {
            Items = data.Vocabulary.Count;
            _logits = new float[(long)data.Users.Count * Items];
            var histories = new ReadOnlyMemory<int>[data.Users.Count];
            for (int u = 0; u < data.Users.Count; u++)
            {
                histories[u] = RankingEvaluator.History(data.Users[u], split, protocol.HistoryCap);
                _rowOf[data.Users[u].Items] = u;
            }
            model.Score(histories, _logits);
        }

        public int Items { get; }

        public ReadOnlySpan<float> RowFor(ReadOnlyMemory<int> history)
        {
            if (!MemoryMarshal.TryGetArray(history, out ArraySegment<int> segment) || !_rowOf.TryGetValue(segment.Array!, out int row))
                throw new InvalidOperationException("a history that was not precomputed reached the evaluation.");
            return _logits.AsSpan(row * Items, Items); // rows × items < 2³¹: the array holds them all
        }
    }

    /// <summary>Precomputed logits served as they are (<paramref name="weight"/> null: the model alone) or combined at a weight.</summary>
    private sealed class PrecomputedRows(string name, PrecomputedScores logits, TransitionTable transitions, double? weight) : ISequentialRecommender
    {
        public string Name => name;

        public void Score(IReadOnlyList<ReadOnlyMemory<int>> histories, Span<float> scores)
        {
            for (int u = 0; u < histories.Count; u++) logits.RowFor(histories[u]).CopyTo(scores.Slice(u * logits.Items, logits.Items));
            if (weight is double w) Combine(histories, scores, transitions, w);
        }
    }
}
