using System.Net;
using System.Text.Json;
using Myna.Apps.Recommendation;
using Myna.Server;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary><c>POST /v1/apps/recommend</c> on a real Kestrel server, over a tiny recommender trained on the synthetic log.</summary>
public sealed class RecommendApiTests : IClassFixture<RecommendApiTests.TrainedRecommender>, IDisposable
{
    /// <summary>One tiny model for every test of the class: a few training steps are enough to serve.</summary>
    public sealed class TrainedRecommender : IDisposable
    {
        public TrainedRecommender()
        {
            Cache = Directory.CreateTempSubdirectory("myna-recommend-api-").FullName;
            File.WriteAllText(Path.Combine(Cache, MovieCatalog.CsvFileName), "movieId,title,genres\n1,\"First, The (1999)\",Drama\n");
            InteractionLog log = new SyntheticLog { Users = 60 }.Generate();
            var protocol = new RecommendationProtocol();
            SequentialDataset data = SequentialDataset.Build(log, protocol);
            SequenceModelSettings settings = new() { Layers = 1, Heads = 1, EmbeddingSize = 16, Context = 24, BatchSize = 4, Steps = 3 };
            Folder = SequenceModelTrainer.TrainOrLoad(data, log, protocol, settings, Cache, out _).Folder;
            History = [.. data.Users[0].Items.Take(4).Select(data.Vocabulary.ItemId)];
        }

        public string Cache { get; }

        public string Folder { get; }

        public int[] History { get; }

        public void Dispose() => Directory.Delete(Cache, recursive: true);
    }

    private readonly TrainedRecommender _recommender;
    private readonly TinyModelDirectory _model = TinyModelDirectory.Create(tiedEmbeddings: true);

    public RecommendApiTests(TrainedRecommender recommender) => _recommender = recommender;

    public void Dispose() => _model.Dispose();

    private Task<RunningServer> StartAsync(ServerOptions? options = null) =>
        RunningServer.StartAsync(_model.Path, (options ?? new ServerOptions()) with { RecommendModel = _recommender.Folder });

    [Fact]
    public async Task Recommends_k_unseen_items_with_titles_and_scores()
    {
        await using RunningServer server = await StartAsync();
        string history = string.Join(',', _recommender.History);
        HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/apps/recommend", $$"""{"history":[{{history}}],"k":5}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["items"], body.EnumerateObject().Select(p => p.Name));
        JsonElement[] items = [.. body.GetProperty("items").EnumerateArray()];
        Assert.Equal(5, items.Length);
        Assert.All(items, item => Assert.Equal(["id", "title", "score"], item.EnumerateObject().Select(p => p.Name)));
        Assert.DoesNotContain(items, item => _recommender.History.Contains(item.GetProperty("id").GetInt32()));
        double[] scores = [.. items.Select(i => i.GetProperty("score").GetDouble())];
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.All(items, item => Assert.True(item.GetProperty("id").GetInt32() == 1
            ? item.GetProperty("title").GetString() == "First, The (1999)"
            : item.GetProperty("title").ValueKind == JsonValueKind.Null));

        // exclude_seen false lets the history back in: the same request is stateless and may return seen items.
        HttpResponseMessage all = await server.Http.PostJsonAsync("/v1/apps/recommend", $$"""{"history":[{{history}}],"k":100,"exclude_seen":false}""");
        JsonElement allItems = JsonDocument.Parse(await all.Content.ReadAsStringAsync()).RootElement.GetProperty("items");
        Assert.Contains(allItems.EnumerateArray(), item => _recommender.History.Contains(item.GetProperty("id").GetInt32()));
    }

    [Theory]
    [InlineData("{}", "history", "missing_required_parameter")]
    [InlineData("""{"history":"1,2"}""", "history", "invalid_type")]
    [InlineData("""{"history":[1.5]}""", "history", "invalid_value")]
    [InlineData("""{"history":[999999]}""", "history", "invalid_value")]
    [InlineData("""{"history":[1],"k":0}""", "k", "invalid_value")]
    [InlineData("""{"history":[1],"exclude_seen":"yes"}""", "exclude_seen", "invalid_type")]
    public async Task Bad_requests_get_the_error_envelope(string body, string param, string code)
    {
        await using RunningServer server = await StartAsync();
        HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/apps/recommend", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = await response.ReadErrorAsync();
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Api_keys_apply_and_a_missing_model_is_a_503()
    {
        await using (RunningServer server = await StartAsync(new ServerOptions { ApiKeys = ["k1"] }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.PostJsonAsync("/v1/apps/recommend", """{"history":[1]}""")).StatusCode);
        }
        await using RunningServer missing = await RunningServer.StartAsync(_model.Path, new ServerOptions { RecommendModel = Path.Combine(_recommender.Cache, "absent") });
        HttpResponseMessage response = await missing.Http.PostJsonAsync("/v1/apps/recommend", """{"history":[1]}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("recommend_unavailable", (await response.ReadErrorAsync()).GetProperty("code").GetString());
    }
}
