using Myna.Apps.Recommendation;

namespace Myna.Tests.Apps.Recommendation;

public sealed class SequentialDatasetTests
{
    private static InteractionLog Log(params Interaction[] interactions) => new("test", interactions, 0, []);

    [Fact]
    public void Orders_by_time_breaks_ties_by_movie_id_and_counts_them()
    {
        InteractionLog log = Log(
            new(1, 50, 300), new(1, 40, 100), new(1, 30, 200), new(1, 20, 200), new(1, 10, 200), new(1, 60, 400),
            new(2, 5, 1), new(2, 6, 2), new(2, 7, 3), new(2, 8, 4)); // user 2 has 4: below the minimum of 5
        SequentialDataset data = SequentialDataset.Build(log, new RecommendationProtocol());
        UserSequence user = Assert.Single(data.Users);
        Assert.Equal(1, data.UsersDropped);
        Assert.Equal(2, data.TiedInteractions); // three share time 200: two are placed by the tie-break
        int[] movies = user.Items.Select(data.Vocabulary.ItemId).ToArray();
        Assert.Equal([40, 10, 20, 30, 50, 60], movies);
        Assert.Equal(60, data.Vocabulary.ItemId(user.Test));
        Assert.Equal(50, data.Vocabulary.ItemId(user.Validation));
        Assert.Equal([40, 10, 20, 30], user.Train.ToArray().Select(data.Vocabulary.ItemId));
        Assert.Equal(data.Vocabulary.Count, data.Vocabulary.EndOfSequence);
    }

    [Fact]
    public void Histories_are_capped_to_the_most_recent()
    {
        var log = Log([.. Enumerable.Range(1, 10).Select(i => new Interaction(1, i, i))]);
        SequentialDataset data = SequentialDataset.Build(log, new RecommendationProtocol { HistoryCap = 3 });
        UserSequence user = data.Users[0];
        Assert.Equal([7, 8, 9], RankingEvaluator.History(user, EvaluationSplit.Test, 3).ToArray().Select(data.Vocabulary.ItemId));
        Assert.Equal([6, 7, 8], RankingEvaluator.History(user, EvaluationSplit.Validation, 3).ToArray().Select(data.Vocabulary.ItemId));
    }

    [Fact]
    public void No_user_with_enough_interactions_is_an_error()
    {
        Assert.Throws<InvalidDataException>(() => SequentialDataset.Build(Log(new(1, 1, 1), new(1, 2, 2)), new RecommendationProtocol()));
    }

    [Fact]
    public void The_synthetic_log_is_seeded_and_has_short_users_and_ties()
    {
        InteractionLog a = new SyntheticLog().Generate(), b = new SyntheticLog().Generate(), c = new SyntheticLog { Seed = 8 }.Generate();
        Assert.Equal(a.Interactions, b.Interactions);
        Assert.NotEqual(a.ContentHash(), c.ContentHash());
        SequentialDataset data = SequentialDataset.Build(a, new RecommendationProtocol());
        Assert.True(data.UsersDropped > 0, "some users fall under the minimum");
        Assert.True(data.TiedInteractions > 0, "some interactions share a timestamp");
        Assert.All(data.Users, u => Assert.Equal(u.Items.Length, u.Items.Distinct().Count()));
    }
}
