using System.Text.Json.Serialization;

namespace Myna.Bench.Serving;

/// <summary>The overload run (many clients, a short queue): its figures, and whether every answer was 200 or 429.</summary>
public sealed record OverloadResult(
    [property: JsonPropertyName("run")] LoadRunSummary Run,
    [property: JsonPropertyName("only_200_and_429")] bool OnlyOkAndTooManyRequests)
{
    /// <summary>Judges <paramref name="run"/>: the issue allows only 200 and 429 under overload (no 5xx, no dropped connection).</summary>
    public static OverloadResult Of(LoadRunSummary run)
    {
        ArgumentNullException.ThrowIfNull(run);
        // A 200 whose stream ended short is a failure too, though its status is fine.
        return new OverloadResult(run, run.Statuses.Keys.All(s => s is "200" or "429") && run.Lost == 0);
    }
}
