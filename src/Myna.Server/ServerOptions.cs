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

    /// <summary>Sequences decoded at once (<c>--parallel</c>). Default 8: batch-8 decode costs little more per step than batch 1.</summary>
    public int Parallel { get; init; } = 8;

    /// <summary>Prompt tokens fed per step at most (<c>--prefill-chunk</c>). Default 64: a long prompt cannot stall running streams for long.</summary>
    public int PrefillChunk { get; init; } = 64;

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

    /// <summary>Whether <see cref="Host"/> names this machine only.</summary>
    public bool IsLoopback => Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(Host, out IPAddress? address) && IPAddress.IsLoopback(address));

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
        // The scheduler queues every request before admitting it, so a queue of 0 would refuse everything.
        if (MaxQueue < 1) throw new ArgumentException($"--max-queue must be 1 or more; it is {MaxQueue}.");
        if (MaxN < 1) throw new ArgumentException($"--max-n must be 1 or more; it is {MaxN}.");
        if (KeepAliveInterval <= TimeSpan.Zero) throw new ArgumentException($"the keep-alive interval must be positive; it is {KeepAliveInterval}.");
        if (MaxBodyBytes < 1024) throw new ArgumentException($"--max-body-bytes must be 1024 or more; it is {MaxBodyBytes}.");
        if (ApiKeys.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException("an API key may not be empty.");
        if (ServedModelName is { } name && string.IsNullOrWhiteSpace(name)) throw new ArgumentException("--served-model-name may not be empty.");
        if (!IsLoopback && ApiKeys.Count == 0 && !AllowNoAuth)
            throw new ArgumentException($"--host {Host} is reachable from other machines and no API key is set; give --api-key, --api-key-file or MYNA_API_KEYS, or pass --allow-no-auth to serve it open.");
    }
}
