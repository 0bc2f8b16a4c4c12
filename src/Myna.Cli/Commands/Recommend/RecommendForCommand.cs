using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Myna.Apps.Recommendation;

namespace Myna.Cli.Commands.Recommend;

/// <summary><c>myna recommend for</c>: the next movies for a history.</summary>
internal static class RecommendForCommand
{
    public static Command Create()
    {
        var shared = new RecommendOptions();
        var history = new Option<string>("--history")
        {
            Description = "Movie ids watched, oldest first, comma-separated (MovieLens movieId).",
            HelpName = "ID,ID,…",
            Required = true,
        };
        var k = new Option<int>("-k") { Description = "How many movies to recommend (1-100).", DefaultValueFactory = _ => 10 };
        var includeSeen = new Option<bool>("--include-seen") { Description = "Allow movies of the history in the list." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: {items: [{id, title, score}]}; score is the model's probability of the movie being next." };
        var command = new Command("for",
            "Recommend the next movies for a viewing history, with the model trained (or cached) for the data.\n\n" +
            "Examples:\n" +
            "  myna recommend for --history 1,2,3 -k 10\n" +
            "  myna recommend for --history 260,1196,1210 --json")
        {
            history, k, includeSeen, json,
        };
        shared.AddTo(command);
        command.Validators.Add(result =>
        {
            // Checked only when given: the default (10) is valid, and a command validator does not see it.
            if (result.GetResult(k) is not null && result.GetValue(k) is var value && (value < 1 || value > MovieRecommender.MaxK)) result.AddError($"-k must be between 1 and {MovieRecommender.MaxK}");
            if (result.GetValue(history) is string text && ParseHistory(text) is null) result.AddError("--history must be comma-separated movie ids, e.g. 1,2,3");
        });
        command.SetAction((parsed, cancellation) =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            (SequenceModel model, _, string path, _) = shared.TrainOrLoad(parsed, retrain: false, cancellation);
            var recommender = new MovieRecommender(model, MovieCatalog.NextTo(path));
            IReadOnlyList<RecommendedItem> items = recommender.Recommend(ParseHistory(parsed.GetValue(history)!)!, parsed.GetValue(k), !parsed.GetValue(includeSeen));
            if (parsed.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(new { items = items.Select(i => new { id = i.Id, title = i.Title, score = i.Score }) }));
                return Task.FromResult(MynaApp.Success);
            }
            int rank = 0;
            foreach (RecommendedItem item in items)
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{++rank,3}. {item.Id,7}  {item.Score:F4}  {item.Title ?? "(no title)"}"));
            return Task.FromResult(MynaApp.Success);
        });
        return command;
    }

    /// <summary>The ids of "1,2,3" (spaces allowed), or null when a part is not a non-negative integer or there is none.</summary>
    public static int[]? ParseHistory(string text)
    {
        string[] parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var ids = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out ids[i])) return null;
        }
        return ids.Length == 0 ? null : ids;
    }
}
