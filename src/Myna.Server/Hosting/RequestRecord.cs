using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Myna.Server.Hosting;

/// <summary>
/// What the server learns about one HTTP request while it runs — who asked, what was generated, when the first token
/// came, how it ended — gathered for the metrics and the audit log. Created by <see cref="RequestRecording"/> for every
/// request and reachable from the code that handles it as <see cref="Current"/> (the generation helpers take no
/// <see cref="HttpContext"/>) or from the context's features.
/// </summary>
public sealed class RequestRecord
{
    private static readonly AsyncLocal<RequestRecord?> CurrentRecord = new();
    private readonly object _gate = new();
    private readonly List<string> _finishReasons = [];
    private long _firstToken;

    internal RequestRecord(string requestId, string route)
    {
        RequestId = requestId;
        Route = route;
    }

    /// <summary>The record of the request the calling code handles, or null outside a request (tests driving the scheduler, tools).</summary>
    public static RequestRecord? Current
    {
        get => CurrentRecord.Value;
        internal set => CurrentRecord.Value = value;
    }

    /// <summary>When the request arrived (<see cref="Stopwatch"/> ticks).</summary>
    public long Started { get; } = Stopwatch.GetTimestamp();

    /// <summary>The request id: the answer's <c>id</c> and its <c>X-Request-Id</c> header.</summary>
    public string RequestId { get; internal set; }

    /// <summary>The route pattern that handled it (<c>/v1/chat/completions</c>), or <c>unmatched</c>: never the raw path, so metric labels stay few.</summary>
    public string Route { get; internal set; }

    /// <summary>The first 8 hex digits of the SHA-256 of the key the request presented (null: no keys are set, or none was valid).</summary>
    public string? KeyId { get; internal set; }

    /// <summary>The model the request was served by (null until it is known).</summary>
    public string? Model { get; internal set; }

    /// <summary>Top-level request fields the server ignored.</summary>
    public IReadOnlyList<string> IgnoredFields { get; internal set; } = [];

    /// <summary>Prompt tokens submitted to the scheduler.</summary>
    public int PromptTokens { get; internal set; }

    /// <summary>Tokens the scheduler generated for the request (a greedy <c>n</c> > 1 answer copies one sequence: counted once).</summary>
    public int CompletionTokens => Volatile.Read(ref _completionTokens);

    private int _completionTokens;

    /// <summary>Whether the request was queued on the scheduler (it passed validation and the limits).</summary>
    public bool Submitted { get; internal set; }

    /// <summary>Whether some prompt of the request reused a slot's cached prefix.</summary>
    public bool ReusedPrefix { get; internal set; }

    /// <summary>Each finished sequence's finish reason, in the order they finished.</summary>
    public IReadOnlyList<string> FinishReasons
    {
        get { lock (_gate) return _finishReasons.ToArray(); }
    }

    /// <summary>The code of the error the request was answered with (in the body or in-band in a stream), or null.</summary>
    public string? ErrorCode { get; internal set; }

    /// <summary>Each prompt's text as the model saw it (a chat's rendered transcript), kept only when the audit log records content.</summary>
    public IReadOnlyList<string>? PromptTexts { get; internal set; }

    /// <summary>Each sequence's generated text, kept only when the audit log records content.</summary>
    public IReadOnlyList<string>? OutputTexts { get; internal set; }

    /// <summary>Time from arrival to the first generated token, or null when none was generated.</summary>
    public TimeSpan? TimeToFirstToken
    {
        get
        {
            long first = Interlocked.Read(ref _firstToken);
            return first == 0 ? null : Stopwatch.GetElapsedTime(Started, first);
        }
    }

    internal void AddCompletionTokens(int count) => Interlocked.Add(ref _completionTokens, count);

    internal void AddFinishReason(string reason)
    {
        lock (_gate) _finishReasons.Add(reason);
    }

    /// <summary>The server's instruments (null in a record made outside a server).</summary>
    internal Metrics.ServingMetrics? Metrics { get; set; }

    /// <summary>The token allowance of the caller's rate-limit partition (null: no token limit).</summary>
    internal Limits.TokenAllowance? Tokens { get; set; }

    /// <summary>Whether prompts and outputs are kept for the audit log.</summary>
    internal bool KeepContent { get; set; }

    /// <summary>Marks the first token (the earliest, when several prompts race).</summary>
    internal void MarkFirstToken(long timestamp) => Interlocked.CompareExchange(ref _firstToken, timestamp, 0);
}
