using System.Globalization;
using System.Text;
using System.Text.Json;
using Myna.Apps.Recommendation;

namespace Myna.Tests.Cli;

/// <summary><c>myna recommend eval|train|for</c> through the command line, on the synthetic log written as MovieLens files.</summary>
public sealed class RecommendCommandTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("myna-recommend-cli-").FullName;

    /// <summary>A small, fast model: the commands are under test here, not the model.</summary>
    private static readonly string[] Fast = ["--steps", "4", "--n-embd", "16"];

    public RecommendCommandTests()
    {
        var ratings = new StringBuilder("userId,movieId,rating,timestamp\n");
        foreach (Interaction i in new SyntheticLog { Users = 80 }.Generate().Interactions)
            ratings.Append(CultureInfo.InvariantCulture, $"{i.UserId},{i.ItemId},4.0,{i.Timestamp}\n");
        File.WriteAllText(Path.Combine(_data, "ratings.csv"), ratings.ToString());
        File.WriteAllText(Path.Combine(_data, "movies.csv"), "movieId,title,genres\n" +
            string.Concat(Enumerable.Range(1, 120).Select(id => $"{id},\"Film {id}, The (2001)\",Drama\n")));
    }

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public void Eval_json_prints_model_baselines_and_the_comparison_and_reuses_the_cached_model()
    {
        CliRun first = CliRun.Of(["recommend", "eval", "--data", _data, "--json", .. Fast]);
        Assert.Equal(0, first.ExitCode);
        using JsonDocument json = JsonDocument.Parse(first.Output);
        JsonElement root = json.RootElement;
        Assert.Equal(["data", "protocol", "model", "hybrid", "baselines", "comparison", "wall_seconds"], root.EnumerateObject().Select(p => p.Name));
        JsonElement hybrid = root.GetProperty("hybrid");
        foreach (JsonElement system in (JsonElement[])[root.GetProperty("model"), hybrid, root.GetProperty("baselines").GetProperty("popularity"), root.GetProperty("baselines").GetProperty("markov")])
        {
            Assert.Equal(["hr@10", "ndcg@10", "mrr"], system.GetProperty("full").EnumerateObject().Select(p => p.Name));
            Assert.InRange(system.GetProperty("sampled").GetProperty("ndcg@10").GetDouble(), 0, 1);
            Assert.InRange(system.GetProperty("coverage@10").GetDouble(), 0, 1);
        }
        Assert.True(root.GetProperty("model").GetProperty("trained_now").GetBoolean());
        Assert.Equal(2, root.GetProperty("comparison").GetProperty("ci95").GetArrayLength());
        // The comparison is the served hybrid's; the model alone is compared too. The weight was chosen on validation
        // among the candidates, every one of which is also swept on this split.
        Assert.Equal(HybridRecommender.SystemName, root.GetProperty("comparison").GetProperty("system").GetString());
        Assert.Equal(2, root.GetProperty("comparison").GetProperty("model_alone").GetProperty("ci95").GetArrayLength());
        double weight = hybrid.GetProperty("transition_weight").GetDouble();
        JsonElement[] search = [.. hybrid.GetProperty("weight_search_validation").EnumerateArray()];
        Assert.Equal(HybridRecommender.CandidateWeights, search.Select(t => t.GetProperty("weight").GetDouble()));
        Assert.Equal(search.Max(t => t.GetProperty("ndcg@10").GetDouble()), search.Single(t => t.GetProperty("weight").GetDouble() == weight).GetProperty("ndcg@10").GetDouble());
        JsonElement atWeight = hybrid.GetProperty("weight_sweep_this_split").EnumerateArray().Single(t => t.GetProperty("weight").GetDouble() == weight);
        Assert.Equal(hybrid.GetProperty("full").GetProperty("ndcg@10").GetDouble(), atWeight.GetProperty("ndcg@10").GetDouble(), 12);
        Assert.True(root.GetProperty("data").GetProperty("tied_timestamps").GetInt64() > 0);
        Assert.Contains("train step", first.Error); // progress goes to standard error, never into the JSON

        CliRun second = CliRun.Of(["recommend", "eval", "--data", _data, "--json", .. Fast]);
        using JsonDocument again = JsonDocument.Parse(second.Output);
        Assert.False(again.RootElement.GetProperty("model").GetProperty("trained_now").GetBoolean());
        Assert.Equal(root.GetProperty("model").GetProperty("full").GetRawText(), again.RootElement.GetProperty("model").GetProperty("full").GetRawText());

        CliRun table = CliRun.Of(["recommend", "eval", "--data", _data, .. Fast]);
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("NDCG@10", table.Output);
        Assert.Contains("(cached)", table.Output);
        Assert.Contains(HybridRecommender.SystemName, table.Output);
        Assert.Contains("model alone vs", table.Output);

        // The validation item: the same cached model, every system predicting the second-last interaction instead.
        CliRun validation = CliRun.Of(["recommend", "eval", "--data", _data, "--split", "validation", "--json", .. Fast]);
        Assert.Equal(0, validation.ExitCode);
        using JsonDocument onValidation = JsonDocument.Parse(validation.Output);
        Assert.Contains("validation = second-last", onValidation.RootElement.GetProperty("protocol").GetProperty("split").GetString());
        Assert.False(onValidation.RootElement.GetProperty("model").GetProperty("trained_now").GetBoolean());
        Assert.NotEqual(root.GetProperty("baselines").GetProperty("markov").GetProperty("full").GetRawText(),
            onValidation.RootElement.GetProperty("baselines").GetProperty("markov").GetProperty("full").GetRawText());
        Assert.Equal(2, CliRun.Of(["recommend", "eval", "--data", _data, "--split", "train", .. Fast]).ExitCode);
    }

    [Fact]
    public void For_recommends_titled_unseen_movies()
    {
        CliRun run = CliRun.Of(["recommend", "for", "--data", _data, "--history", "1,2,3", "-k", "3", "--json", .. Fast]);
        Assert.Equal(0, run.ExitCode);
        JsonElement[] items = [.. JsonDocument.Parse(run.Output).RootElement.GetProperty("items").EnumerateArray()];
        Assert.Equal(3, items.Length);
        Assert.All(items, item => Assert.DoesNotContain(item.GetProperty("id").GetInt32(), (int[])[1, 2, 3]));
        Assert.All(items, item => Assert.Equal($"Film {item.GetProperty("id").GetInt32()}, The (2001)", item.GetProperty("title").GetString()));

        CliRun train = CliRun.Of(["recommend", "train", "--data", _data, .. Fast]);
        Assert.Equal(0, train.ExitCode);
        Assert.StartsWith("cached: ", train.Output);
        Assert.Contains($"serves {HybridRecommender.SystemName} with transition weight", train.Output);

        // Another seed is another model (another cache entry), trained anew.
        CliRun seeded = CliRun.Of(["recommend", "train", "--data", _data, "--seed", "7", .. Fast]);
        Assert.Equal(0, seeded.ExitCode);
        Assert.StartsWith("trained: ", seeded.Output);
        Assert.Equal(2, CliRun.Of("recommend", "train", "--data", _data, "--seed", "-1").ExitCode);
    }

    [Fact]
    public void Bad_input_gets_one_error_line()
    {
        CliRun unknown = CliRun.Of(["recommend", "for", "--data", _data, "--history", "99999", .. Fast]);
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("movie 99999", unknown.Error);

        File.AppendAllText(Path.Combine(_data, "ratings.csv"), "7,abc,4.0,1\n");
        CliRun malformed = CliRun.Of(["recommend", "eval", "--data", _data, .. Fast]);
        Assert.Equal(1, malformed.ExitCode);
        Assert.StartsWith("error: ", malformed.Error);
        Assert.Contains("movie id 'abc'", malformed.Error);
        Assert.Contains("line ", malformed.Error);

        CliRun dropped = CliRun.Of(["recommend", "train", "--data", _data, "--drop-malformed", .. Fast]);
        Assert.Equal(0, dropped.ExitCode);
        Assert.Contains("dropped 1 malformed row(s)", dropped.Error);

        CliRun missing = CliRun.Of("recommend", "eval", "--data", Path.Combine(_data, "absent"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("does not exist", missing.Error);

        CliRun history = CliRun.Of("recommend", "for", "--data", _data, "--history", "1,x");
        Assert.Equal(2, history.ExitCode);

        CliRun dropout = CliRun.Of("recommend", "train", "--data", _data, "--dropout", "1");
        Assert.Equal(2, dropout.ExitCode);
        Assert.Contains("--dropout must be in [0, 1)", dropout.Error);
    }
}
