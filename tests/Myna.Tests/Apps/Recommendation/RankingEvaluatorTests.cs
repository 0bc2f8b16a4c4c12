using Myna.Apps.Recommendation;

namespace Myna.Tests.Apps.Recommendation;

public sealed class RankingEvaluatorTests
{
    private static readonly RecommendationProtocol Protocol = new() { SampledNegatives = 20 };

    /// <summary>Scores a fixed item order for everyone: item token i gets score −i (so token 0 ranks first).</summary>
    private sealed class FixedOrder(int items) : ISequentialRecommender
    {
        public string Name => "fixed";

        public void Score(IReadOnlyList<ReadOnlyMemory<int>> histories, Span<float> scores)
        {
            for (int u = 0; u < histories.Count; u++)
                for (int i = 0; i < items; i++) scores[u * items + i] = -i;
        }
    }

    /// <summary>Knows each user's answer: the perfect recommender.</summary>
    private sealed class Oracle(SequentialDataset data) : ISequentialRecommender
    {
        public string Name => "oracle";

        public void Score(IReadOnlyList<ReadOnlyMemory<int>> histories, Span<float> scores)
        {
            int items = data.Vocabulary.Count;
            scores[..(histories.Count * items)].Clear();
            for (int u = 0; u < histories.Count; u++)
            {
                // A history is a slice of its user's item array: that array names the user.
                Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(histories[u], out ArraySegment<int> segment));
                UserSequence user = data.Users.Single(s => ReferenceEquals(s.Items, segment.Array));
                scores[u * items + user.Test] = 1;
            }
        }
    }

    [Fact]
    public void Ranks_count_unseen_items_above_the_target_with_ties_by_token()
    {
        var interactions = Enumerable.Range(1, 6).Select(i => new Interaction(1, i * 10, i)).ToList();
        interactions.AddRange(Enumerable.Range(1, 6).Select(i => new Interaction(2, i, i))); // user 2 brings items 1..6 into the catalogue
        SequentialDataset data = SequentialDataset.Build(new InteractionLog("t", interactions, 0, []), Protocol);
        // Catalogue tokens: 1..6 → 0..5, 10..60 → 6..11. User 1 saw tokens 6..10 before its test item 60 (token 11).
        SystemEvaluation result = RankingEvaluator.Evaluate(new FixedOrder(data.Vocabulary.Count), data, Protocol, EvaluationSplit.Test);
        // User 1: unseen are tokens 0..5, all scored above token 11: rank 6. User 2: saw 0..4, target token 5 ranks first.
        Assert.Equal(RankingMetrics.NdcgAt(6, 10), result.PerUserNdcg[0], 12);
        Assert.Equal(1.0, result.PerUserNdcg[1], 12);
        Assert.Equal((1.0 / 7 + 1.0) / 2, result.Full.Mrr, 12);
        Assert.Equal(1.0, result.Full.HitRate);
    }

    [Fact]
    public void The_oracle_is_perfect_and_popularity_is_not()
    {
        SequentialDataset data = SequentialDataset.Build(new SyntheticLog().Generate(), Protocol);
        SystemEvaluation oracle = RankingEvaluator.Evaluate(new Oracle(data), data, Protocol, EvaluationSplit.Test);
        Assert.Equal(1.0, oracle.Full.Ndcg, 12);
        Assert.Equal(1.0, oracle.Sampled.HitRate, 12);
        SystemEvaluation popularity = RankingEvaluator.Evaluate(new PopularityRecommender(data.TrainCounts), data, Protocol, EvaluationSplit.Test);
        Assert.InRange(popularity.Full.Ndcg, 0.01, 0.9);
        Assert.True(popularity.Sampled.HitRate >= popularity.Full.HitRate, "fewer candidates never rank the target lower");
        Assert.True(popularity.Coverage < 0.5, "popularity recommends few distinct items");
    }

    [Fact]
    public void Markov_beats_popularity_on_a_log_with_series()
    {
        SequentialDataset data = SequentialDataset.Build(new SyntheticLog().Generate(), Protocol);
        SystemEvaluation popularity = RankingEvaluator.Evaluate(new PopularityRecommender(data.TrainCounts), data, Protocol, EvaluationSplit.Test);
        SystemEvaluation markov = RankingEvaluator.Evaluate(new MarkovRecommender(data), data, Protocol, EvaluationSplit.Test);
        Assert.True(markov.Full.Ndcg > popularity.Full.Ndcg * 1.5, $"markov {markov.Full.Ndcg} vs popularity {popularity.Full.Ndcg}");
        Assert.True(markov.Coverage > popularity.Coverage);
    }

    [Fact]
    public void Sampled_negatives_are_the_same_for_every_run()
    {
        SequentialDataset data = SequentialDataset.Build(new SyntheticLog().Generate(), Protocol);
        var popularity = new PopularityRecommender(data.TrainCounts);
        SystemEvaluation a = RankingEvaluator.Evaluate(popularity, data, Protocol, EvaluationSplit.Test);
        SystemEvaluation b = RankingEvaluator.Evaluate(popularity, data, Protocol, EvaluationSplit.Test);
        Assert.Equal(a.Sampled, b.Sampled);
        SystemEvaluation other = RankingEvaluator.Evaluate(popularity, data, Protocol with { Seed = 43 }, EvaluationSplit.Test);
        Assert.NotEqual(a.Sampled, other.Sampled);
    }

    [Fact]
    public void Top_k_keeps_the_best_unmasked_best_first()
    {
        float[] scores = [0.5f, 3, 1, 3, 2, 9];
        bool[] masked = [false, false, false, false, false, true];
        var top = new int[3];
        Assert.Equal(3, RankingEvaluator.TopK(scores, masked, top));
        Assert.Equal([1, 3, 4], top); // the tie at 3 goes to the lower token; token 5 is masked
    }

    [Fact]
    public void The_long_tail_is_what_lies_beyond_the_head_share()
    {
        bool[] tail = RankingEvaluator.LongTail([50, 30, 10, 5, 5, 0], 0.8);
        Assert.Equal([false, false, true, true, true, true], tail);
    }
}
