using System.Net;
using System.Text;
using Myna.Generation;
using Myna.Server;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary><c>--request-timeout</c>: a request past its deadline stops, frees its slot, and says so (504 whole, an error event streamed).</summary>
public sealed class RequestDeadlineTests
{
    [Fact]
    public async Task A_running_request_past_its_deadline_is_stopped_with_504_and_frees_its_slots()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 4096);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        // 8 × 4000 tokens take seconds on the tiny model: far past 300 ms.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/completions", """{"prompt":"Hi","n":8,"temperature":1,"max_tokens":4000,"ignore_eos":true}""");
        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Equal("request_timeout", (await response.ReadErrorAsync()).GetProperty("code").GetString());
        Assert.InRange(clock.ElapsedMilliseconds, 300, 10_000);
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.Running == 0 && server.Scheduler.SlotsInUse == 0, TimeSpan.FromSeconds(2)));
        Assert.True(server.Scheduler.Statistics.TokensGenerated < 8 * 4000, "the request ran to its end; the test proves nothing");
        Assert.True(await RunningServer.EventuallyAsync(() => server.MetricsAsync().Result.GetValueOrDefault("myna_requests_cancelled_total{reason=\"timeout\"}") == 1, TimeSpan.FromSeconds(5)));
        // The server goes on serving.
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostJsonAsync("/v1/completions", """{"prompt":"Hi","max_tokens":2}""")).StatusCode);
    }

    [Fact]
    public async Task A_stream_past_its_deadline_ends_with_an_error_event_and_a_queued_one_never_starts()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 256);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { Parallel = 1, RequestTimeout = TimeSpan.FromMilliseconds(300) });
        // The one slot is held, so the request waits in the queue until its deadline.
        using var hold = new CancellationTokenSource();
        server.Scheduler.Submit([1, 2, 3], new GenerationOptions { MaxNewTokens = 200, StopAtEndOfText = false }, hold.Token, stream: true);
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.Running == 1, TimeSpan.FromSeconds(10)));
        long prefilled = server.Scheduler.Statistics.PrefillRows;

        HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/chat/completions", ServerHttp.Chat("\"stream\":true"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        string[] events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("\"role\":\"assistant\"", events[0]);
        Assert.StartsWith("data: {\"error\":{", events[^1]);
        Assert.Contains("\"code\":\"request_timeout\"", events[^1]);
        Assert.DoesNotContain("[DONE]", body);
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.Waiting == 0, TimeSpan.FromSeconds(2)), "the timed-out request is still queued");
        Assert.Equal(prefilled, server.Scheduler.Statistics.PrefillRows); // never started

        HttpResponseMessage whole = await server.Http.PostJsonAsync("/v1/chat/completions", ServerHttp.Chat());
        Assert.Equal(HttpStatusCode.GatewayTimeout, whole.StatusCode);
        Assert.Equal("request_timeout", (await whole.ReadErrorAsync()).GetProperty("code").GetString());
        await hold.CancelAsync();
    }

    [Fact]
    public void The_deadline_must_be_positive()
    {
        Assert.Contains("--request-timeout", Assert.Throws<ArgumentException>(() => new ServerOptions { RequestTimeout = TimeSpan.Zero }.Validate()).Message);
        Assert.Contains("--shutdown-grace", Assert.Throws<ArgumentException>(() => new ServerOptions { ShutdownGrace = TimeSpan.FromSeconds(-1) }.Validate()).Message);
    }
}
