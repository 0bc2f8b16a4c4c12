using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Myna.Apps.Recommendation;
using Myna.Models.Checkpoints;
using Myna.Server.Errors;
using Myna.Server.Hosting;
using Myna.Server.OpenAi;

namespace Myna.Server.Endpoints;

/// <summary>
/// <c>POST /v1/apps/recommend</c> <c>{history:[movieId…], k, exclude_seen}</c> → <c>{items:[{id, title, score}]}</c>:
/// the next movies after a history (<see cref="MovieRecommender"/>), behind the same API keys, rate limits, audit log and
/// error bodies as the OpenAI routes. Stateless: no profile is stored, the history comes with each request.
/// </summary>
public static class RecommendApi
{
    /// <summary>The route group.</summary>
    public const string GroupPrefix = "/v1/apps/recommend";

    /// <summary>The longest history accepted (1,000: far beyond the 200 the model reads, small enough to bound the request).</summary>
    public const int MaxHistory = 1000;

    /// <summary>Items returned when the request names no k (10: the cut-off the recommender is evaluated at).</summary>
    public const int DefaultK = 10;

    /// <summary>Maps the route. The model is loaded at the first request, so a server without one still serves the rest.</summary>
    public static IEndpointRouteBuilder MapRecommend(this IEndpointRouteBuilder routes)
    {
        ServerOptions options = routes.ServiceProvider.GetRequiredService<ServerOptions>();
        var recommender = new LazyRecommender(options.RecommendModel);
        routes.MapGroup(GroupPrefix).MapPost("", (HttpContext context) => RecommendAsync(context, recommender));
        return routes;
    }

    private static async Task RecommendAsync(HttpContext context, LazyRecommender lazy)
    {
        JsonRequest body = await JsonRequest.ReadAsync(context.Request).ConfigureAwait(false);
        JsonElement historyValue = body.Get("history") ?? throw OpenAiException.InvalidParameter("history", "'history' is required: an array of movie ids.", "missing_required_parameter");
        if (historyValue.ValueKind != JsonValueKind.Array) throw JsonRequest.WrongType("history", "an array of movie ids", historyValue);
        if (historyValue.GetArrayLength() > MaxHistory)
            throw OpenAiException.InvalidParameter("history", $"'history' holds {historyValue.GetArrayLength()} ids; at most {MaxHistory} are accepted.");
        var history = new List<int>(historyValue.GetArrayLength());
        foreach (JsonElement id in historyValue.EnumerateArray()) history.Add((int)JsonRequest.IntegerOf(id, "history", 0, int.MaxValue));
        int k = (int)(body.Integer("k", 1, MovieRecommender.MaxK) ?? DefaultK);
        bool excludeSeen = body.Boolean("exclude_seen") ?? true;
        MovieRecommender recommender = lazy.Get();
        IReadOnlyList<RecommendedItem> items;
        try
        {
            items = recommender.Recommend(history, k, excludeSeen);
        }
        catch (ArgumentException invalid)
        {
            throw OpenAiException.InvalidParameter("history", invalid.Message);
        }
        if (RequestRecord.Current is { } record)
        {
            record.Model = "recommend";
            if (record.KeepContent)
            {
                record.PromptTexts = [string.Join(',', history)];
                record.OutputTexts = [string.Join(',', items.Select(i => i.Id))];
            }
        }
        ResponseHeaders.Set(context, "recommend-" + Guid.NewGuid().ToString("N"), body.IgnoredFields);
        await JsonBody.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("items");
            foreach (RecommendedItem item in items)
            {
                writer.WriteStartObject();
                writer.WriteNumber("id", item.Id);
                if (item.Title is null) writer.WriteNull("title");
                else writer.WriteString("title", item.Title);
                writer.WriteNumber("score", item.Score);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>The recommender, loaded at the first request that needs it; a missing or broken model is a 503 each time until it is fixed.</summary>
    private sealed class LazyRecommender(string? modelFolder)
    {
        private readonly Lock _gate = new();
        private MovieRecommender? _recommender;

        public MovieRecommender Get()
        {
            lock (_gate)
            {
                if (_recommender is not null) return _recommender;
                try
                {
                    string folder = modelFolder
                        ?? (RecommendDataFiles.Find() is string data ? RecommendDataFiles.FindCachedModel(data) : null)
                        ?? throw new DirectoryNotFoundException(
                            $"no trained recommender under {RecommendDataFiles.DefaultFolder}: run `{RecommendDataFiles.Recipe}` and `myna recommend train` (or set ServerOptions.RecommendModel).");
                    SequenceModel model = SequenceModel.Load(folder);
                    _recommender = new MovieRecommender(model, MovieCatalog.NextTo(Path.GetDirectoryName(Path.GetFullPath(folder))!));
                    return _recommender;
                }
                catch (Exception error) when (error is IOException or InvalidDataException or ModelFormatException)
                {
                    throw new OpenAiException(StatusCodes.Status503ServiceUnavailable,
                        $"The recommender is unavailable: {error.Message}", "server_error", null, "recommend_unavailable");
                }
            }
        }
    }
}
