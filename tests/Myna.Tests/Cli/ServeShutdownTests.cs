using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Myna.Generation;
using Myna.Tests.Generation;

namespace Myna.Tests.Cli;

/// <summary>
/// <c>myna serve</c> as a container runtime stops it: SIGTERM while a stream is in flight. /ready and new requests get
/// 503 at once, the stream gets the grace and then an error event, and the process exits 0. Started without --model,
/// it serves the default model (here pointed at by <see cref="DefaultModel.EnvironmentVariable"/>).
/// </summary>
public sealed class ServeShutdownTests
{
    [Fact]
    public async Task Sigterm_drains_then_stops_streams_with_an_error_event_and_exits_0()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 4096);
        using ServeProcess server = await ServeProcess.StartAsync(["--port", "0", "--shutdown-grace", "3"],
            new Dictionary<string, string> { [DefaultModel.EnvironmentVariable] = model.Path });
        Uri address = server.Address;
        using var http = new HttpClient { BaseAddress = address };
        using (JsonDocument models = JsonDocument.Parse(await http.GetStringAsync("/v1/models")))
            Assert.Equal(Path.GetFileName(model.Path), models.RootElement.GetProperty("data")[0].GetProperty("id").GetString());

        // A stream of 8 × 4000 tokens its client does not read: it cannot finish within the grace.
        using HttpClient streaming = Server.MetricsTests.SlowReader(address);
        using HttpResponseMessage response = await streaming.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = new StringContent("""{"prompt":"Hi","n":8,"temperature":1,"max_tokens":4000,"ignore_eos":true,"stream":true}""", Encoding.UTF8, "application/json"),
        }, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.StartsWith("data: ", await reader.ReadLineAsync());

        await server.SignalAsync("TERM");
        var signalled = Stopwatch.StartNew();

        // Draining: the probe says so and new work is refused, while the process still serves.
        HttpStatusCode ready = HttpStatusCode.OK;
        while (ready != HttpStatusCode.ServiceUnavailable && signalled.Elapsed < TimeSpan.FromSeconds(2))
            ready = (await http.GetAsync("/ready")).StatusCode;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        HttpResponseMessage refused = await http.PostAsync("/v1/chat/completions",
            new StringContent("""{"messages":[{"role":"user","content":"Hi"}],"max_tokens":2}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("server_shutting_down", await refused.Content.ReadAsStringAsync());
        Assert.False(server.HasExited, "myna serve exited before the grace was over");

        // After the grace the stream is stopped: its last event is the error, and there is no [DONE].
        string rest = await reader.ReadToEndAsync();
        Assert.True(signalled.Elapsed >= TimeSpan.FromSeconds(2.9), $"the stream ended {signalled.ElapsedMilliseconds} ms after SIGTERM, before the grace");
        string last = rest.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith("data: {\"error\":{", last);
        Assert.Contains("\"code\":\"server_shutting_down\"", last);
        Assert.DoesNotContain("[DONE]", rest);

        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(30)), "myna serve did not exit after SIGTERM");
        Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}: {server.Output}");
    }
}
