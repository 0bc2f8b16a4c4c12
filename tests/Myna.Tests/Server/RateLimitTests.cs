using System.Net;
using Myna.Server;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary>Per-key token buckets: requests per minute and tokens per minute, 429 (or 503) rate_limit_exceeded with both retry headers.</summary>
public sealed class RateLimitTests
{
    private static HttpRequestMessage Completion(string key, int maxTokens = 2, string prompt = "a")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = new StringContent($$"""{"prompt":"{{prompt}}","max_tokens":{{maxTokens}},"ignore_eos":true}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", key);
        return request;
    }

    [Fact]
    public async Task Each_key_gets_its_own_requests_per_minute_and_public_routes_are_never_limited()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 128);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { ApiKeys = ["key-a", "key-b"], RateLimitRequests = 3 });

        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(Completion("key-a"))).StatusCode);
        HttpResponseMessage limited = await server.Http.SendAsync(Completion("key-a"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        var error = await limited.ReadErrorAsync();
        Assert.Equal("rate_limit_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("requests", error.GetProperty("type").GetString());
        // Three a minute refill one every 20 s.
        Assert.InRange(limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 20);
        long milliseconds = long.Parse(Assert.Single(limited.Headers.GetValues("retry-after-ms")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(milliseconds, 1, 20_000);

        // Another key has its own bucket; the probes, metrics and model list are not limited at all.
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(Completion("key-b"))).StatusCode);
        for (int i = 0; i < 5; i++)
        {
            foreach (string open in new[] { "/health", "/ready", "/v1/models", "/metrics" })
                Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync(open)).StatusCode);
        }
        IReadOnlyDictionary<string, double> metrics = await server.MetricsAsync();
        Assert.Equal(1, metrics["myna_requests_rejected_total{reason=\"rate_limit\"}"]);
    }

    [Fact]
    public async Task The_rejection_status_can_be_503()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 128);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { RateLimitRequests = 1, RateLimitStatus = 503 });
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostJsonAsync("/tokenize", """{"prompt":"a"}""")).StatusCode);
        HttpResponseMessage limited = await server.Http.PostJsonAsync("/tokenize", """{"prompt":"a"}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, limited.StatusCode);
        Assert.Equal("rate_limit_exceeded", (await limited.ReadErrorAsync()).GetProperty("code").GetString());
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Single(limited.Headers.GetValues("retry-after-ms"));
        Assert.Throws<ArgumentException>(() => new ServerOptions { RateLimitStatus = 500 }.Validate());
    }

    [Fact]
    public async Task Tokens_per_minute_charge_the_prompt_up_front_and_the_completion_after()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 128);
        // 60 tokens a minute (one a second). The byte-level tokenizer makes "aaaaaaaaaa" ten prompt tokens.
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { ApiKeys = ["k"], RateLimitTokens = 60 });
        Assert.Equal(10, server.Model.Tokenizer!.Encode("aaaaaaaaaa").Length);

        // 10 + 40 = 50 of 60: served. The next prompt (10) still fits the 10 left (plus what refilled); its 40 new tokens empty the bucket.
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(Completion("k", 40, "aaaaaaaaaa"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.SendAsync(Completion("k", 40, "aaaaaaaaaa"))).StatusCode);
        HttpResponseMessage limited = await server.Http.SendAsync(Completion("k", 1, "aaaaaaaaaa"));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("rate_limit_exceeded", (await limited.ReadErrorAsync()).GetProperty("code").GetString());
        Assert.NotNull(limited.Headers.RetryAfter);

        // A prompt larger than a whole minute's allowance can never pass: refused with a message that says so.
        HttpResponseMessage huge = await server.Http.SendAsync(Completion("k", 1, new string('b', 70)));
        Assert.Equal(HttpStatusCode.TooManyRequests, huge.StatusCode);
        Assert.Contains("--rate-limit-tokens", (await huge.ReadErrorAsync()).GetProperty("message").GetString());
        Assert.Equal(2, (await server.MetricsAsync())["myna_requests_rejected_total{reason=\"rate_limit\"}"]);
    }
}
