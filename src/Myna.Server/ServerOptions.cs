using System.Net;

namespace Myna.Server;

/// <summary>How <c>myna serve</c> listens, batches and guards. Every default lives here, once.</summary>
public sealed record ServerOptions
{
    /// <summary>The address to bind. Default 127.0.0.1: reachable from this machine only until you choose otherwise.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The TCP port; 0 lets the operating system choose a free one (the chosen port is reported).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>The model id clients name (<c>--served-model-name</c>); null: the model directory's name.</summary>
    public string? ServedModelName { get; init; }

    /// <summary>The model's folder, where the playground reads its model card; null: no card beyond the model's shape.</summary>
    public string? ModelDirectory { get; init; }

    /// <summary>The support assistant's knowledge base (<c>POST /v1/apps/support/chat</c>); null: <c>data/apps/support/faq.jsonl</c> found as the default model is.</summary>
    public string? SupportFaq { get; init; }

    /// <summary>The translation model (<c>POST /v1/apps/translate</c>); null: <c>models/myna-translate-en-zh</c> found as the default model is.</summary>
    public string? TranslationModel { get; init; }

    /// <summary>The recommender (<c>POST /v1/apps/recommend</c>): a model folder <c>myna recommend train</c> wrote (model/ +
    /// recommender.json; titles from movies.csv beside it); null: the one <c>RecommendDataFiles.FindCachedModel</c> picks under
    /// <c>data/apps/recommend</c> (the newest with the hybrid's transitions).</summary>
    public string? RecommendModel { get; init; }

    private static readonly Myna.Generation.SchedulerOptions SchedulerDefaults = new();

    /// <summary>Sequences decoded at once (<c>--parallel</c>). Default 8: see <see cref="Myna.Generation.SchedulerOptions.Slots"/>.</summary>
    public int Parallel { get; init; } = SchedulerDefaults.Slots;

    /// <summary>Prompt tokens fed per step at most (<c>--prefill-chunk</c>). Default 64: see <see cref="Myna.Generation.SchedulerOptions.PrefillChunk"/>.</summary>
    public int PrefillChunk { get; init; } = SchedulerDefaults.PrefillChunk;

    /// <summary>Prompt tokens fed per step at most while other streams are decoding (<c>--prefill-chunk-decoding</c>). Default 8: see <see cref="Myna.Generation.SchedulerOptions.PrefillChunkWhileDecoding"/>.</summary>
    public int PrefillChunkWhileDecoding { get; init; } = SchedulerDefaults.PrefillChunkWhileDecoding;

    /// <summary>Requests that may wait for a slot (<c>--max-queue</c>); more get 429. Default 64: eight rounds of eight slots.</summary>
    public int MaxQueue { get; init; } = 64;

    /// <summary>The largest <c>n</c> (choices per prompt) a request may ask for (<c>--max-n</c>), and never more than <see cref="Parallel"/>. Default 8: one batch of the default slots.</summary>
    public int MaxN { get; init; } = 8;

    /// <summary>The largest request body in bytes (<c>--max-body-bytes</c>); larger bodies get 413. Default 4 MiB: far above any prompt that fits a GPT-2 context.</summary>
    public long MaxBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>API keys; empty means no authentication (allowed on loopback only, unless <see cref="AllowNoAuth"/>).</summary>
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    /// <summary>Serve a non-loopback address without API keys (<c>--allow-no-auth</c>): an explicit choice, never a default.</summary>
    public bool AllowNoAuth { get; init; }

    /// <summary>What 429 answers tell clients to wait (<c>Retry-After</c>, <c>retry-after-ms</c>). One second: about a reply's worth of decode steps on the default model.</summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a queued stream sends an SSE comment, so proxies and clients do not time the idle connection out. 15 s, as the issue specifies.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Replace personal data and secrets in generated text, streamed too (<c>--redact-output</c>). Off by default: it holds text back until it is safe.</summary>
    public bool RedactOutput { get; init; }

    /// <summary>Phrases that end a generation with <c>content_filter</c> (<c>--block-list FILE</c>, one per line, compared ignoring case). Empty: none.</summary>
    public IReadOnlyList<string> BlockList { get; init; } = [];

    /// <summary>
    /// The longest a request may run, queued time included (<c>--request-timeout</c>); past it the generation stops and
    /// frees its slot, a whole answer becomes a 504 and a stream ends with an error event. Null (the default): no deadline,
    /// because max_tokens already bounds a generation and long completions on a busy CPU are legitimate.
    /// </summary>
    public TimeSpan? RequestTimeout { get; init; }

    /// <summary>
    /// On SIGTERM, how long requests in flight may run to their end before they are stopped with an error event
    /// (<c>--shutdown-grace</c>). 30 s, as the issue specifies: Kubernetes' default termination grace period.
    /// </summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Requests per minute one API key (or, without keys, one client address) may make (<c>--rate-limit-requests</c>); null: no limit.</summary>
    public int? RateLimitRequests { get; init; }

    /// <summary>Prompt plus completion tokens per minute one API key (or client address) may use (<c>--rate-limit-tokens</c>); null: no limit.</summary>
    public int? RateLimitTokens { get; init; }

    /// <summary>
    /// The status a rate-limited request gets (<c>--rate-limit-status</c>): 429 (the default, what the OpenAI API answers
    /// and its SDKs back off on) or 503 (ASP.NET's limiter default, for proxies that retry elsewhere on 503).
    /// </summary>
    public int RateLimitStatus { get; init; } = 429;

    /// <summary>A JSON Lines file that gets one record per request (<c>--audit-log</c>); null: no audit log.</summary>
    public string? AuditLog { get; init; }

    /// <summary>Whether the audit log also records prompts and outputs, after PII redaction (<c>--log-content</c>). Off: they are the users' data.</summary>
    public bool LogContent { get; init; }

    /// <summary>Origins a browser may call the API from (<c>--cors-origin</c>, repeatable); empty (the default): CORS stays off, as the playground is same-origin.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>How long a client may take to send the request headers (Kestrel's limit). 15 s: slow-header (slowloris) connections are dropped twice as early as Kestrel's 30 s default.</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The slowest a client may send a request body, in bytes per second after a 5 s grace (Kestrel's limit). 240 B/s, Kestrel's default, made explicit.</summary>
    public double MinRequestBodyBytesPerSecond { get; init; } = 240;

    /// <summary>Whether <see cref="Host"/> names this machine only.</summary>
    public bool IsLoopback => Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(Host, out IPAddress? address) && IPAddress.IsLoopback(address));

    /// <summary>The scheduler settings these options give the served model (slots, prefill budgets, queue).</summary>
    public Myna.Generation.SchedulerOptions ToSchedulerOptions() => new()
    {
        Slots = Parallel,
        PrefillChunk = PrefillChunk,
        PrefillChunkWhileDecoding = PrefillChunkWhileDecoding,
        MaxQueue = MaxQueue,
    };

    /// <summary>Checks every option; the message names the command-line flag.</summary>
    /// <exception cref="ArgumentException">An option is out of range, or a public address would be served without keys.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Host)) throw new ArgumentException("--host must name an address.");
        if (!Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) && !IPAddress.TryParse(Host, out _))
            throw new ArgumentException($"--host must be an IP address or localhost; it is '{Host}'.");
        if (Port is < 0 or > 65535) throw new ArgumentException($"--port must be 0 to 65535; it is {Port}.");
        if (Parallel < 1) throw new ArgumentException($"--parallel must be 1 or more; it is {Parallel}.");
        if (PrefillChunk < 1) throw new ArgumentException($"--prefill-chunk must be 1 or more; it is {PrefillChunk}.");
        if (PrefillChunkWhileDecoding < 1) throw new ArgumentException($"--prefill-chunk-decoding must be 1 or more; it is {PrefillChunkWhileDecoding}.");
        // The scheduler queues every request before admitting it, so a queue of 0 would refuse everything.
        if (MaxQueue < 1) throw new ArgumentException($"--max-queue must be 1 or more; it is {MaxQueue}.");
        if (MaxN < 1) throw new ArgumentException($"--max-n must be 1 or more; it is {MaxN}.");
        if (KeepAliveInterval <= TimeSpan.Zero) throw new ArgumentException($"the keep-alive interval must be positive; it is {KeepAliveInterval}.");
        if (MaxBodyBytes < 1024) throw new ArgumentException($"--max-body-bytes must be 1024 or more; it is {MaxBodyBytes}.");
        if (RequestTimeout is { } timeout && timeout <= TimeSpan.Zero) throw new ArgumentException($"--request-timeout must be positive; it is {timeout.TotalSeconds} s.");
        if (ShutdownGrace < TimeSpan.Zero) throw new ArgumentException($"--shutdown-grace may not be negative; it is {ShutdownGrace.TotalSeconds} s.");
        if (RateLimitRequests is < 1) throw new ArgumentException($"--rate-limit-requests must be 1 or more; it is {RateLimitRequests}.");
        if (RateLimitTokens is < 1) throw new ArgumentException($"--rate-limit-tokens must be 1 or more; it is {RateLimitTokens}.");
        if (RateLimitStatus is not (429 or 503)) throw new ArgumentException($"--rate-limit-status must be 429 or 503; it is {RateLimitStatus}.");
        if (AuditLog is { } audit && string.IsNullOrWhiteSpace(audit)) throw new ArgumentException("--audit-log must name a file.");
        if (LogContent && AuditLog is null) throw new ArgumentException("--log-content needs --audit-log FILE to write the content to.");
        foreach (string origin in CorsOrigins)
        {
            if (origin != "*" && !(Uri.TryCreate(origin, UriKind.Absolute, out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.AbsolutePath == "/"))
                throw new ArgumentException($"--cors-origin must be an origin such as https://app.example.com (scheme, host, optional port) or *; it is '{origin}'.");
        }
        if (RequestHeadersTimeout <= TimeSpan.Zero) throw new ArgumentException($"the request headers timeout must be positive; it is {RequestHeadersTimeout}.");
        if (MinRequestBodyBytesPerSecond <= 0) throw new ArgumentException($"the minimum request body rate must be positive; it is {MinRequestBodyBytesPerSecond}.");
        if (ApiKeys.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException("--api-key is empty (an unset shell variable?); an API key may not be empty: give the key, or leave --api-key out.");
        if (BlockList.Any(string.IsNullOrEmpty)) throw new ArgumentException("--block-list may not hold empty phrases.");
        if (ServedModelName is { } name && string.IsNullOrWhiteSpace(name)) throw new ArgumentException("--served-model-name may not be empty.");
        if (!IsLoopback && ApiKeys.Count == 0 && !AllowNoAuth)
            throw new ArgumentException($"--host {Host} is reachable from other machines and no API key is set; give --api-key, --api-key-file or MYNA_API_KEYS, or pass --allow-no-auth to serve it open.");
    }
}
