namespace Myna.Apps.Recommendation;

/// <summary>
/// An interaction log prepared by the protocol: each user's interactions ordered by timestamp, ties broken by catalogue
/// id (and counted, since the order inside a tie is not the user's real order: Woolridge et al. 2021), users with fewer
/// than <see cref="RecommendationProtocol.MinInteractions"/> left out, items numbered as tokens.
/// </summary>
public sealed class SequentialDataset
{
    private SequentialDataset(ItemVocabulary vocabulary, IReadOnlyList<UserSequence> users, long interactions, long tied, int usersDropped, int[] trainCounts)
    {
        Vocabulary = vocabulary;
        Users = users;
        Interactions = interactions;
        TiedInteractions = tied;
        UsersDropped = usersDropped;
        TrainCounts = trainCounts;
    }

    /// <summary>The kept users' items as tokens.</summary>
    public ItemVocabulary Vocabulary { get; }

    /// <summary>Kept users, by user id.</summary>
    public IReadOnlyList<UserSequence> Users { get; }

    /// <summary>Interactions of the kept users.</summary>
    public long Interactions { get; }

    /// <summary>Interactions (of all users) that share their timestamp with an earlier one of the same user: each group of k
    /// simultaneous interactions counts k − 1, the ones whose place only the tie-break decides (21,845 in ml-latest-small).</summary>
    public long TiedInteractions { get; }

    /// <summary>Users left out for having too few interactions.</summary>
    public int UsersDropped { get; }

    /// <summary>Per item token, how often it occurs in the training parts (the popularity every baseline and the long-tail split use).</summary>
    public IReadOnlyList<int> TrainCounts { get; }

    /// <summary>Applies the protocol to <paramref name="log"/>.</summary>
    /// <exception cref="InvalidDataException">No user has enough interactions.</exception>
    public static SequentialDataset Build(InteractionLog log, RecommendationProtocol protocol)
    {
        protocol.Validate();
        var byUser = new Dictionary<int, List<Interaction>>();
        foreach (Interaction interaction in log.Interactions)
        {
            if (!byUser.TryGetValue(interaction.UserId, out List<Interaction>? list)) byUser[interaction.UserId] = list = [];
            list.Add(interaction);
        }
        long tied = 0;
        var kept = new List<(int User, List<Interaction> Items)>();
        int dropped = 0;
        foreach ((int user, List<Interaction> list) in byUser.OrderBy(pair => pair.Key))
        {
            list.Sort((a, b) => a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp) : a.ItemId.CompareTo(b.ItemId));
            for (int i = 1; i < list.Count; i++)
            {
                if (list[i - 1].Timestamp == list[i].Timestamp) tied++;
            }
            if (list.Count >= protocol.MinInteractions) kept.Add((user, list));
            else dropped++;
        }
        if (kept.Count == 0)
            throw new InvalidDataException($"{log.Source}: no user has {protocol.MinInteractions} or more interactions, so there is nothing to evaluate.");
        var vocabulary = new ItemVocabulary(kept.SelectMany(u => u.Items).Select(i => i.ItemId));
        var users = new List<UserSequence>(kept.Count);
        var trainCounts = new int[vocabulary.Count];
        long interactions = 0;
        foreach ((int user, List<Interaction> list) in kept)
        {
            var sequence = new UserSequence(user, list.Select(i => vocabulary.TokenOf(i.ItemId)).ToArray());
            foreach (int token in sequence.Train) trainCounts[token]++;
            interactions += list.Count;
            users.Add(sequence);
        }
        return new SequentialDataset(vocabulary, users, interactions, tied, dropped, trainCounts);
    }
}
