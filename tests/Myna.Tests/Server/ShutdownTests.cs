using System.Net;
using System.Text;
using Myna.Server;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary>
/// Draining in process (the host stops as on SIGTERM): /ready and new requests get 503 at once, streams in flight run
/// on through the grace, and those still running when it ends get an error event. The real signal is tested on
/// <c>myna serve</c> in <c>Cli/ServeShutdownTests</c>.
/// </summary>
public sealed class ShutdownTests
{
    /// <summary>A stream of <paramref name="choices"/> × <paramref name="tokens"/>: more than the buffers on the way hold, so it runs only as fast as it is read.</summary>
    private static Task<HttpResponseMessage> StartStream(HttpClient client, int choices, int tokens) =>
        client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = new StringContent($$"""{"prompt":"Hi","n":{{choices}},"temperature":1,"max_tokens":{{tokens}},"ignore_eos":true,"stream":true}""", Encoding.UTF8, "application/json"),
        }, HttpCompletionOption.ResponseHeadersRead);

    private static async Task AssertDrainingAsync(RunningServer server)
    {
        Assert.True(await RunningServer.EventuallyAsync(() => server.Http.GetAsync("/ready").Result.StatusCode == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(5)));
        HttpResponseMessage ready = await server.Http.GetAsync("/ready");
        Assert.Equal("""{"status":"draining"}""", await ready.Content.ReadAsStringAsync());
        Assert.NotNull(ready.Headers.RetryAfter);
        Assert.Single(ready.Headers.GetValues("retry-after-ms"));
        HttpResponseMessage refused = await server.Http.PostJsonAsync("/v1/chat/completions", ServerHttp.Chat());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal("server_shutting_down", (await refused.ReadErrorAsync()).GetProperty("code").GetString());
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Single(refused.Headers.GetValues("retry-after-ms"));
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Streams_in_flight_finish_within_the_grace_while_new_work_gets_503()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 1024);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { ShutdownGrace = TimeSpan.FromSeconds(60) });
        using HttpClient client = MetricsTests.SlowReader(server.Address);
        using HttpResponseMessage response = await StartStream(client, 2, 1000);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync());

        Task stopping = server.App.StopAsync();
        await AssertDrainingAsync(server);
        Assert.False(stopping.IsCompleted, "the host stopped while a stream was still in flight");

        string rest = await reader.ReadToEndAsync();
        Assert.EndsWith("data: [DONE]\n\n", rest);
        Assert.DoesNotContain("\"error\"", rest);
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Streams_still_running_when_the_grace_ends_get_an_error_event()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 4096);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { ShutdownGrace = TimeSpan.FromMilliseconds(500) });
        using HttpClient client = MetricsTests.SlowReader(server.Address);
        using HttpResponseMessage response = await StartStream(client, 8, 4000);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync());

        // The reader stops reading, so the stream cannot finish within the grace.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Task stopping = server.App.StopAsync();
        await AssertDrainingAsync(server);
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.Running == 0, TimeSpan.FromSeconds(10)), "the stream was not stopped after the grace");
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(450), $"stopped after {clock.ElapsedMilliseconds} ms, before the grace ended");

        string rest = await reader.ReadToEndAsync();
        string last = rest.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("data: {\"error\":{", last);
        Assert.Contains("\"code\":\"server_shutting_down\"", last);
        Assert.DoesNotContain("[DONE]", rest);
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
    }
}
