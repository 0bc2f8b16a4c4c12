using System.Text.Json.Serialization;

namespace Myna.Bench.Serving;

/// <summary>The endurance run: its length, its figures, and whether it met the bar (no errors, no lost requests).</summary>
public sealed record EnduranceResult(
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("run")] LoadRunSummary Run)
{
    /// <summary>Whether every request completed: zero errors and zero lost.</summary>
    [JsonPropertyName("met")]
    public bool Met => Run.Errors == 0 && Run.Lost == 0 && Run.Rejected == 0;
}
