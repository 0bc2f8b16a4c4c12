namespace Myna.Apps.Recommendation;

/// <summary>
/// Ranks each user's held-out item (1) against every item the user has not met (full ranking, the primary figures) and
/// (2) against <see cref="RecommendationProtocol.SampledNegatives"/> unmet items drawn uniformly with a seed per user, the
/// same for every recommender (the papers' sampled figures). Items the user has met are masked; ties in score are
/// broken by item token, the same way in the ranks and in the top lists.
/// </summary>
public static class RankingEvaluator
{
    /// <summary>Users scored per call (64: the model's batch, and a (64, items) score block stays small).</summary>
    public const int UsersPerBatch = 64;

    /// <summary>Evaluates <paramref name="recommender"/> on every user of <paramref name="data"/>.</summary>
    public static SystemEvaluation Evaluate(ISequentialRecommender recommender, SequentialDataset data, RecommendationProtocol protocol, EvaluationSplit split)
    {
        int items = data.Vocabulary.Count, users = data.Users.Count, k = protocol.Cutoff;
        bool[] longTail = LongTail(data.TrainCounts, protocol.HeadShare);
        var recommended = new bool[items];
        double hits = 0, mrr = 0, sampledHits = 0, sampledNdcg = 0, sampledMrr = 0;
        long slots = 0, tailSlots = 0;
        var perUserNdcg = new double[users];
        var scores = new float[UsersPerBatch * items];
        var seen = new bool[items];
        var top = new int[k];
        for (int start = 0; start < users; start += UsersPerBatch)
        {
            int count = Math.Min(UsersPerBatch, users - start);
            var histories = new ReadOnlyMemory<int>[count];
            for (int j = 0; j < count; j++) histories[j] = History(data.Users[start + j], split, protocol.HistoryCap);
            recommender.Score(histories, scores.AsSpan(0, count * items));
            for (int j = 0; j < count; j++)
            {
                int u = start + j;
                UserSequence user = data.Users[u];
                ReadOnlySpan<float> row = scores.AsSpan(j * items, items);
                int target = split == EvaluationSplit.Test ? user.Test : user.Validation;
                ReadOnlySpan<int> met = Met(user, split);
                foreach (int item in met) seen[item] = true;
                seen[target] = false; // the held-out item is always a candidate, even if met before

                int rank = RankOf(row, target, seen);
                perUserNdcg[u] = RankingMetrics.NdcgAt(rank, k);
                hits += rank < k ? 1 : 0;
                mrr += 1.0 / (rank + 1);

                int sampledRank = 0;
                foreach (int negative in SampledNegatives(user, u, seen, target, items, protocol))
                {
                    if (Before(row, negative, target)) sampledRank++;
                }
                sampledHits += sampledRank < k ? 1 : 0;
                sampledNdcg += RankingMetrics.NdcgAt(sampledRank, k);
                sampledMrr += 1.0 / (sampledRank + 1);

                seen[target] = met.Contains(target);
                int filled = TopK(row, seen, top);
                for (int t = 0; t < filled; t++)
                {
                    recommended[top[t]] = true;
                    tailSlots += longTail[top[t]] ? 1 : 0;
                }
                slots += filled;
                foreach (int item in met) seen[item] = false;
                seen[target] = false;
            }
        }
        return new SystemEvaluation(
            recommender.Name,
            new RankingMetrics(hits / users, perUserNdcg.Average(), mrr / users),
            new RankingMetrics(sampledHits / users, sampledNdcg / users, sampledMrr / users),
            recommended.Count(r => r) / (double)items,
            slots == 0 ? 0 : tailSlots / (double)slots,
            perUserNdcg);
    }

    /// <summary>The history a recommender sees for <paramref name="split"/>, capped.</summary>
    public static ReadOnlyMemory<int> History(UserSequence user, EvaluationSplit split, int cap)
    {
        int end = user.Items.Length - (split == EvaluationSplit.Test ? 1 : 2);
        int begin = Math.Max(0, end - cap);
        return user.Items.AsMemory(begin, end - begin);
    }

    /// <summary>Everything the user met before the held-out item (not capped: a film seen long ago is still seen).</summary>
    private static ReadOnlySpan<int> Met(UserSequence user, EvaluationSplit split) =>
        user.Items.AsSpan(0, user.Items.Length - (split == EvaluationSplit.Test ? 1 : 2));

    /// <summary>Whether <paramref name="item"/> ranks above <paramref name="target"/>: a higher score, or the same score and a lower token.</summary>
    private static bool Before(ReadOnlySpan<float> row, int item, int target) => row[item] > row[target] || (row[item] == row[target] && item < target);

    /// <summary>0-based rank of <paramref name="target"/> among the unmasked items.</summary>
    private static int RankOf(ReadOnlySpan<float> row, int target, bool[] masked)
    {
        int rank = 0;
        for (int i = 0; i < row.Length; i++)
        {
            if (i != target && !masked[i] && Before(row, i, target)) rank++;
        }
        return rank;
    }

    /// <summary>The best unmasked items, best first, into <paramref name="top"/>; returns how many there were.</summary>
    public static int TopK(ReadOnlySpan<float> row, bool[] masked, Span<int> top)
    {
        int filled = 0;
        for (int i = 0; i < row.Length; i++)
        {
            if (masked[i]) continue;
            if (filled == top.Length && !Before(row, i, top[filled - 1])) continue;
            int at = filled < top.Length ? filled++ : filled - 1;
            while (at > 0 && Before(row, i, top[at - 1]))
            {
                top[at] = top[at - 1];
                at--;
            }
            top[at] = i;
        }
        return filled;
    }

    /// <summary>Unmet items other than the target, drawn uniformly without replacement from a stream seeded by the
    /// protocol's seed and the user's position, so every recommender meets the same negatives.</summary>
    private static List<int> SampledNegatives(UserSequence user, int userIndex, bool[] seen, int target, int items, RecommendationProtocol protocol)
    {
        int available = items - 1 - user.Items.Length; // a lower bound: met items may include the target
        var negatives = new List<int>(protocol.SampledNegatives);
        var chosen = new HashSet<int>();
        var random = new Random(unchecked(protocol.Seed * 1_000_003 + userIndex) & int.MaxValue);
        if (available < protocol.SampledNegatives * 2)
        {
            // A small catalogue: take a seeded shuffle of every candidate instead of rejection sampling.
            var candidates = Enumerable.Range(0, items).Where(i => i != target && !seen[i]).ToArray();
            random.Shuffle(candidates);
            negatives.AddRange(candidates.Take(protocol.SampledNegatives));
            return negatives;
        }
        while (negatives.Count < protocol.SampledNegatives)
        {
            int item = random.Next(items);
            if (item != target && !seen[item] && chosen.Add(item)) negatives.Add(item);
        }
        return negatives;
    }

    /// <summary>Marks the long tail: items outside the most popular ones that together hold <paramref name="headShare"/> of training interactions.</summary>
    public static bool[] LongTail(IReadOnlyList<int> trainCounts, double headShare)
    {
        int[] order = Enumerable.Range(0, trainCounts.Count).OrderByDescending(i => trainCounts[i]).ThenBy(i => i).ToArray();
        long total = trainCounts.Sum(c => (long)c), running = 0;
        var tail = new bool[trainCounts.Count];
        foreach (int item in order)
        {
            if (running >= headShare * total) tail[item] = true;
            running += trainCounts[item];
        }
        return tail;
    }
}
