using Myna.Apps.Recommendation;

namespace Myna.Tests.Apps.Recommendation;

public sealed class TransitionTableTests : IDisposable
{
    private static readonly RecommendationProtocol Protocol = new() { SampledNegatives = 20 };

    private readonly string _folder = Directory.CreateTempSubdirectory("myna-transitions-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Two users over movies 1..4 (tokens 0..3), each with two items held out at the end.</summary>
    private static SequentialDataset TwoUsers()
    {
        // User 1 trains on 1 → 2 → 1 → 2 → 3, user 2 on 1 → 3; the last two items of each are validation and test.
        int[][] sequences = [[1, 2, 1, 2, 3, 4, 4], [1, 3, 2, 4, 1]];
        var interactions = new List<Interaction>();
        for (int u = 0; u < sequences.Length; u++)
            for (int t = 0; t < sequences[u].Length; t++) interactions.Add(new Interaction(u + 1, sequences[u][t], t));
        return SequentialDataset.Build(new InteractionLog("t", interactions, 0, []), Protocol);
    }

    [Fact]
    public void Counts_training_successions_and_smooths_them_with_popularity()
    {
        SequentialDataset data = TwoUsers();
        var table = TransitionTable.FromTraining(data);
        Assert.Equal(4, table.Items);
        int one = data.Vocabulary.TokenOf(1), two = data.Vocabulary.TokenOf(2), three = data.Vocabulary.TokenOf(3), four = data.Vocabulary.TokenOf(4);
        // Training parts: [1, 2, 1, 2, 3] and [1, 3, 2]: 1 → 2 twice, 1 → 3 once; 2 → 1, 2 → 3, 3 → 2 once each.
        Assert.Equal(new Dictionary<int, int> { [two] = 2, [three] = 1 }, table.Followers(one));
        Assert.Null(table.Followers(four));
        Assert.Equal(3, table.Counts[one]);
        Assert.Equal(0, table.Counts[four]);

        var row = new float[4];
        table.LogProbabilities(one, row);
        // (count + 5 · (occurrences + 1) / (8 + 4)) / (3 + 5), occurrences 3, 3, 2, 0.
        double Expected(int count, int occurrences) => Math.Log((count + 5.0 * (occurrences + 1) / 12) / 8);
        Assert.Equal(Expected(0, 3), row[one], 5);
        Assert.Equal(Expected(2, 3), row[two], 5);
        Assert.Equal(Expected(1, 2), row[three], 5);
        Assert.Equal(Expected(0, 0), row[four], 5);
        Assert.Equal(1.0, row.Sum(x => Math.Exp(x)), 5);

        // An item never followed, and no item at all: popularity with add-one smoothing.
        table.LogProbabilities(four, row);
        Assert.Equal(Math.Log(4.0 / 12), row[one], 5);
        Assert.Equal(Math.Log(1.0 / 12), row[four], 5);
        var none = new float[4];
        table.LogProbabilities(null, none);
        Assert.Equal(row, none);
        Assert.Throws<ArgumentException>(() => table.LogProbabilities(one, new float[3]));
    }

    [Fact]
    public void Saved_tables_read_back_the_same_and_damaged_ones_are_refused()
    {
        SequentialDataset data = SequentialDataset.Build(new SyntheticLog().Generate(), Protocol);
        var table = TransitionTable.FromTraining(data);
        string path = Path.Combine(_folder, TransitionTable.FileName);
        table.Save(path);
        TransitionTable read = TransitionTable.Load(path, table.Items);
        Assert.Equal(table.Counts, read.Counts);
        var expected = new float[table.Items];
        var actual = new float[table.Items];
        for (int item = 0; item < table.Items; item++)
        {
            table.LogProbabilities(item, expected);
            read.LogProbabilities(item, actual);
            Assert.Equal(expected, actual);
        }

        Assert.Contains("counts 120 items, the model has 7", Assert.Throws<InvalidDataException>(() => TransitionTable.Load(path, 7)).Message);
        string Damaged(string json)
        {
            string file = Path.Combine(_folder, "damaged.json");
            File.WriteAllText(file, json);
            return Assert.Throws<InvalidDataException>(() => TransitionTable.Load(file, 2)).Message;
        }
        Assert.Contains("outside the 2 items", Damaged("""{"counts":[1,1],"from":[0],"to":[2],"count":[1]}"""));
        Assert.Contains("not a positive count", Damaged("""{"counts":[1,1],"from":[0],"to":[1],"count":[0]}"""));
        Assert.Contains("listed twice", Damaged("""{"counts":[1,1],"from":[0,0],"to":[1,1],"count":[1,2]}"""));
        Assert.Contains("different lengths", Damaged("""{"counts":[1,1],"from":[0],"to":[],"count":[1]}"""));
        Assert.Contains("negative", Damaged("""{"counts":[1,-1],"from":[],"to":[],"count":[]}"""));
        Assert.Contains("damaged.json", Damaged("""{"counts":[1,1],"""));
    }

    [Fact]
    public void The_markov_baseline_ranks_followers_by_count_then_popularity()
    {
        SequentialDataset data = TwoUsers();
        var markov = new MarkovRecommender(data);
        int one = data.Vocabulary.TokenOf(1), two = data.Vocabulary.TokenOf(2), three = data.Vocabulary.TokenOf(3), four = data.Vocabulary.TokenOf(4);
        var scores = new float[4];
        markov.Score([new[] { one }.AsMemory()], scores);
        int[] order = [.. Enumerable.Range(0, 4).OrderByDescending(i => scores[i])];
        Assert.Equal([two, three, one, four], order); // followers 2 (twice), 3 (once); then 1 (3 occurrences) before 4 (none)
    }
}
