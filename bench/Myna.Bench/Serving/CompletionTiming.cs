using System.Diagnostics;

namespace Myna.Bench.Serving;

/// <summary>
/// One streamed request as the client saw it: the HTTP status (0: no answer), when it was sent and ended, when each
/// token-bearing event arrived (<see cref="Stopwatch"/> timestamps), the tokens the server counted, and how it ended.
/// </summary>
public sealed record CompletionTiming(int Status, long Start, long End, IReadOnlyList<long> TokenTimes, int OutputTokens, bool Done, string? Error)
{
    /// <summary>Whether the request streamed all <paramref name="expectedTokens"/> tokens and [DONE], with no error.</summary>
    public bool Completed(int expectedTokens) => Status == 200 && Done && Error is null && OutputTokens == expectedTokens;

    /// <summary>Whether the server turned the request away (429: the queue was full, or a rate limit).</summary>
    public bool Rejected => Status == 429;

    /// <summary>
    /// Whether the request went missing: accepted (200) but its stream ended short (no [DONE], fewer tokens, an error
    /// event), or never answered at all (status 0: the connection failed, or the run's deadline cancelled it).
    /// </summary>
    public bool Lost(int expectedTokens) => Status == 0 || (Status == 200 && !Completed(expectedTokens));

    /// <summary>Seconds from sending to the first token; null without tokens.</summary>
    public double? TimeToFirstTokenSeconds => TokenTimes.Count > 0 ? Seconds(TokenTimes[0] - Start) : null;

    /// <summary>Seconds from sending to the end of the answer.</summary>
    public double EndToEndSeconds => Seconds(End - Start);

    /// <summary>Seconds between consecutive token-bearing events.</summary>
    public IEnumerable<double> InterTokenSeconds()
    {
        for (int i = 1; i < TokenTimes.Count; i++) yield return Seconds(TokenTimes[i] - TokenTimes[i - 1]);
    }

    /// <summary>Stopwatch ticks as seconds.</summary>
    public static double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
}
