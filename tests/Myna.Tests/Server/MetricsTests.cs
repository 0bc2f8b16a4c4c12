using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Myna.Generation;
using Myna.Server;
using Myna.Server.Metrics;
using Myna.Tests.Generation;
using Xunit.Abstractions;

namespace Myna.Tests.Server;

/// <summary><c>GET /metrics</c>: the Myna.Serving meter in Prometheus text, each figure checked against what the server did.</summary>
public sealed class MetricsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Metrics_count_requests_tokens_steps_and_latencies()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 256);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { Parallel = 4 });

        IReadOnlyDictionary<string, double> before = await server.MetricsAsync();
        Assert.Equal(0, before["myna_requests_running"]);
        Assert.Equal(0, before["myna_requests_waiting"]);
        Assert.Equal(0, before["myna_slots_used"]);
        Assert.Equal(4, before["myna_slots_total"]);
        Assert.Equal(server.Scheduler.CacheBytes, before["myna_kv_cache_bytes"]);
        Assert.True(server.Scheduler.CacheBytes > 0);

        // One whole chat answer, one stream with usage, one bad request, one unknown path.
        HttpResponseMessage chat = await server.Http.PostJsonAsync("/v1/chat/completions", ServerHttp.Chat("\"ignore_eos\":true"));
        Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        using JsonDocument chatBody = JsonDocument.Parse(await chat.Content.ReadAsStringAsync());
        int chatPrompt = chatBody.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        int chatCompletion = chatBody.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
        string stream = await (await server.Http.PostJsonAsync("/v1/completions",
            """{"prompt":"Once upon","max_tokens":6,"ignore_eos":true,"stream":true,"stream_options":{"include_usage":true}}""")).Content.ReadAsStringAsync();
        string usageEvent = stream.Split("\n\n").Single(e => e.Contains("\"choices\":[]"));
        using JsonDocument usage = JsonDocument.Parse(usageEvent["data: ".Length..]);
        int streamPrompt = usage.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32();
        int streamCompletion = usage.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Http.PostJsonAsync("/v1/completions", """{"prompt":"x","temperature":9}""")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync("/no/such/path")).StatusCode);

        // A request is counted just after its last byte, which the client may see first: scrape until all four are in.
        HttpResponseMessage scrape;
        string text;
        IReadOnlyDictionary<string, double> m;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        do
        {
            scrape = await server.Http.GetAsync("/metrics");
            text = await scrape.Content.ReadAsStringAsync();
            m = RunningServer.ParseMetrics(text);
        }
        while ((!m.ContainsKey("myna_requests_total{route=\"unmatched\",status=\"404\"}") || m.GetValueOrDefault("myna_request_duration_seconds_count") < 2)
            && clock.Elapsed < TimeSpan.FromSeconds(10));
        output.WriteLine(text);
        Assert.Equal(1, m["myna_requests_total{route=\"/v1/chat/completions\",status=\"200\"}"]);
        Assert.Equal(1, m["myna_requests_total{route=\"/v1/completions\",status=\"200\"}"]);
        Assert.Equal(1, m["myna_requests_total{route=\"/v1/completions\",status=\"400\"}"]);
        Assert.Equal(1, m["myna_requests_total{route=\"unmatched\",status=\"404\"}"]);
        Assert.True(m["myna_requests_total{route=\"/metrics\",status=\"200\"}"] >= 1); // earlier scrapes; this one is counted after it answers
        Assert.Equal(chatPrompt + streamPrompt, m["myna_prompt_tokens_total"]);
        Assert.Equal(chatCompletion + streamCompletion, m["myna_completion_tokens_total"]);
        Assert.Equal(0, m["myna_requests_running"]);
        Assert.Equal(0, m["myna_slots_used"]);

        // One batch_rows sample per scheduler step, summing every row the steps ran.
        SchedulerStatistics statistics = server.Scheduler.Statistics;
        Assert.Equal(statistics.Steps, m["myna_batch_rows_count"]);
        Assert.Equal(statistics.DecodeRows + statistics.PrefillRows, m["myna_batch_rows_sum"]);
        Assert.Equal(statistics.Steps, m["myna_batch_rows_bucket{le=\"+Inf\"}"]);
        Assert.Equal(statistics.ReusedPromptTokens, m["myna_prefix_reuse_tokens_total"]);
        // Two generations: two first tokens and durations; one gap per token after each sequence's first.
        Assert.Equal(2, m["myna_time_to_first_token_seconds_count"]);
        Assert.Equal(2, m["myna_request_duration_seconds_count"]);
        Assert.Equal(chatCompletion - 1 + streamCompletion - 1, m["myna_inter_token_latency_seconds_count"]);
        Assert.True(m["myna_time_to_first_token_seconds_sum"] > 0);
        Assert.True(m["myna_request_duration_seconds_sum"] >= m["myna_time_to_first_token_seconds_sum"]);

        // Buckets are cumulative and end at the count.
        double previous = 0;
        foreach ((string series, double value) in m.Where(p => p.Key.StartsWith("myna_request_duration_seconds_bucket", StringComparison.Ordinal)))
        {
            Assert.True(value >= previous, $"{series} = {value} after {previous}");
            previous = value;
        }
        Assert.Equal(2, previous);

        Assert.Contains("# TYPE myna_requests_total counter\n", text);
        Assert.Contains("# TYPE myna_requests_waiting gauge\n", text);
        Assert.Contains("# TYPE myna_batch_rows histogram\n", text);
        Assert.Contains("# HELP myna_requests_waiting ", text);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", scrape.Content.Headers.ContentType?.ToString());
    }

    [Fact]
    public async Task A_prompt_that_reuses_a_cached_prefix_is_counted()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 256);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { Parallel = 1 });
        const string body = """{"prompt":"The same prompt, sent twice","max_tokens":3}""";
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostJsonAsync("/v1/completions", body)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostJsonAsync("/v1/completions", body)).StatusCode);
        IReadOnlyDictionary<string, double> m = await server.MetricsAsync();
        Assert.True(await RunningServer.EventuallyAsync(() => (m = server.MetricsAsync().Result).GetValueOrDefault("myna_prefix_reuse_requests_total") == 1, TimeSpan.FromSeconds(5)),
            "the second request's prefix reuse was not counted");
        Assert.True(m["myna_prefix_reuse_tokens_total"] > 0);
        Assert.Equal(server.Scheduler.Statistics.ReusedPromptTokens, m["myna_prefix_reuse_tokens_total"]);
    }

    [Fact]
    public void The_exposition_writes_counters_gauges_and_histograms_exactly()
    {
        using var meter = new Meter("Test.Exposition");
        using var other = new Meter("Test.Exposition"); // same name, another instance: not this exposition's
        using var exposition = new PrometheusText(meter);
        Counter<long> requests = meter.CreateCounter<long>("t_requests_total", null, "Requests.");
        Histogram<double> sizes = meter.CreateHistogram<double>("t_size", null, "Sizes.", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 4] });
        int depth = 3;
        meter.CreateObservableGauge("t_depth", () => depth);
        other.CreateCounter<long>("t_other_total").Add(5);

        requests.Add(2, new KeyValuePair<string, object?>("status", 200), new KeyValuePair<string, object?>("route", "/a\"b"));
        requests.Add(1, new KeyValuePair<string, object?>("route", "/a\"b"), new KeyValuePair<string, object?>("status", 200));
        requests.Add(4, new KeyValuePair<string, object?>("route", "/c"), new KeyValuePair<string, object?>("status", 429));
        foreach (double size in new[] { 1, 3, 5, 0.5 }) sizes.Record(size);
        depth = 7;

        Assert.Equal(
            "# HELP t_requests_total Requests.\n" +
            "# TYPE t_requests_total counter\n" +
            "t_requests_total{route=\"/a\\\"b\",status=\"200\"} 3\n" +
            "t_requests_total{route=\"/c\",status=\"429\"} 4\n" +
            "# HELP t_size Sizes.\n" +
            "# TYPE t_size histogram\n" +
            "t_size_bucket{le=\"1\"} 2\n" +
            "t_size_bucket{le=\"2\"} 2\n" +
            "t_size_bucket{le=\"4\"} 3\n" +
            "t_size_bucket{le=\"+Inf\"} 4\n" +
            "t_size_sum 9.5\n" +
            "t_size_count 4\n" +
            "# TYPE t_depth gauge\n" +
            "t_depth 7\n",
            exposition.Write());
    }

    [Fact]
    public async Task A_client_that_leaves_drops_myna_requests_running_within_200_ms_and_a_queued_one_never_starts()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 4096);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { Parallel = 8 });

        // 1. A stream of 8 × 4000 tokens that its client stops reading, then leaves (see SchedulingTests for the sizes).
        using (HttpClient leaving = SlowReader(server.Address))
        {
            HttpResponseMessage response = await leaving.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
            {
                Content = new StringContent("""{"prompt":"Hi","n":8,"temperature":1,"max_tokens":4000,"ignore_eos":true,"stream":true}""", System.Text.Encoding.UTF8, "application/json"),
            }, HttpCompletionOption.ResponseHeadersRead);
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.StartsWith("data: ", await reader.ReadLineAsync());
            Assert.Equal(1, (await server.MetricsAsync())["myna_requests_running"]);
            reader.Dispose();
            response.Dispose();
        }
        var clock = System.Diagnostics.Stopwatch.StartNew();
        IReadOnlyDictionary<string, double> m;
        do m = await server.MetricsAsync();
        while (m["myna_requests_running"] != 0 && clock.ElapsedMilliseconds < 2000);
        long freed = clock.ElapsedMilliseconds;
        output.WriteLine($"myna_requests_running dropped {freed} ms after the client left");
        Assert.Equal(0, m["myna_requests_running"]);
        Assert.Equal(0, m["myna_slots_used"]);
        Assert.True(freed <= 200, $"the slot was freed {freed} ms after the client left; the bound is 200 ms");
        Assert.True(await RunningServer.EventuallyAsync(() => server.MetricsAsync().Result.GetValueOrDefault("myna_requests_cancelled_total{reason=\"client_left\"}") == 1,
            TimeSpan.FromSeconds(5)));
        Assert.Equal(1, (await server.MetricsAsync())["myna_requests_total{route=\"/v1/completions\",status=\"499\"}"]);

        // 2. With every slot held, a queued request whose client leaves is dropped from the queue and never prefilled.
        using var hold = new CancellationTokenSource();
        server.Scheduler.Submit([1, 2, 3], new GenerationOptions { MaxNewTokens = 3000, StopAtEndOfText = false, NumReturnSequences = 8, Temperature = 1, DoSample = true }, hold.Token, stream: true);
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.SlotsInUse == 8, TimeSpan.FromSeconds(10)));
        long prefilled = server.Scheduler.Statistics.PrefillRows;
        using (HttpClient queued = SlowReader(server.Address))
        {
            HttpResponseMessage response = await queued.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
            {
                Content = new StringContent("""{"prompt":"A queued prompt","max_tokens":5,"stream":true}""", System.Text.Encoding.UTF8, "application/json"),
            }, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(1, (await server.MetricsAsync())["myna_requests_waiting"]);
            response.Dispose();
        }
        clock.Restart();
        do m = await server.MetricsAsync();
        while (m["myna_requests_waiting"] != 0 && clock.ElapsedMilliseconds < 2000);
        Assert.Equal(0, m["myna_requests_waiting"]);
        await hold.CancelAsync();
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.Running == 0, TimeSpan.FromSeconds(5)));
        Assert.Equal(prefilled, server.Scheduler.Statistics.PrefillRows);
    }

    [Fact]
    public async Task Under_overload_only_200_and_429_answer_and_each_429_is_counted_as_rejected()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 256);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { Parallel = 2, MaxQueue = 2 });
        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            server.Http.PostJsonAsync("/v1/chat/completions", ServerHttp.Chat("\"ignore_eos\":true", content: $"request {i}").Replace("\"max_tokens\":8", "\"max_tokens\":120"))));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        int refused = responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        output.WriteLine($"{20 - refused} answered, {refused} refused");
        Assert.InRange(refused, 0, 19); // how many get a place depends on how the 20 arrive between steps
        foreach (HttpResponseMessage response in responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests))
            Assert.Equal("server_overloaded", (await response.ReadErrorAsync()).GetProperty("code").GetString());
        IReadOnlyDictionary<string, double> m = await server.MetricsAsync();
        Assert.True(await RunningServer.EventuallyAsync(() => (m = server.MetricsAsync().Result).GetValueOrDefault("myna_requests_total{route=\"/v1/chat/completions\",status=\"200\"}") == 20 - refused,
            TimeSpan.FromSeconds(10)));
        Assert.Equal(refused, m["myna_requests_rejected_total{reason=\"queue_full\"}"]);
        Assert.Equal(refused, m["myna_requests_total{route=\"/v1/chat/completions\",status=\"429\"}"]);
        Assert.Equal(20 - refused, m["myna_requests_total{route=\"/v1/chat/completions\",status=\"200\"}"]);
    }

    /// <summary>A client with a 4 KiB receive buffer that closes the connection when a response is dropped.</summary>
    internal static HttpClient SlowReader(Uri address) => new(new SocketsHttpHandler
    {
        MaxResponseDrainSize = 0,
        ConnectCallback = async (context, cancellation) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4096 };
            await socket.ConnectAsync(context.DnsEndPoint, cancellation);
            return new NetworkStream(socket, ownsSocket: true);
        },
    })
    { BaseAddress = address };
}
