using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Myna.Cli;
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
        var output = new StringBuilder();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { typeof(MynaApp).Assembly.Location, "serve", "--port", "0", "--shutdown-grace", "3" }) start.ArgumentList.Add(arg);
        start.Environment[DefaultModel.EnvironmentVariable] = model.Path;
        using var child = new Process { StartInfo = start };
        child.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        child.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        child.Start();
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        try
        {
            string? line = null;
            var clock = Stopwatch.StartNew();
            while (line is null && !child.HasExited && clock.Elapsed < TimeSpan.FromSeconds(60))
            {
                lock (output) line = output.ToString().Split('\n').FirstOrDefault(l => l.StartsWith("listening on ", StringComparison.Ordinal))?.Trim();
                await Task.Delay(20);
            }
            Assert.True(line is not null, $"myna serve did not start: {output}");
            var address = new Uri(line["listening on ".Length..]);
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

            using (Process signal = Process.Start("kill", ["-TERM", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await signal.WaitForExitAsync();
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
            Assert.False(child.HasExited, "myna serve exited before the grace was over");

            // After the grace the stream is stopped: its last event is the error, and there is no [DONE].
            string rest = await reader.ReadToEndAsync();
            Assert.True(signalled.Elapsed >= TimeSpan.FromSeconds(2.9), $"the stream ended {signalled.ElapsedMilliseconds} ms after SIGTERM, before the grace");
            string last = rest.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)[^1];
            Assert.StartsWith("data: {\"error\":{", last);
            Assert.Contains("\"code\":\"server_shutting_down\"", last);
            Assert.DoesNotContain("[DONE]", rest);

            Assert.True(child.WaitForExit(30_000), "myna serve did not exit after SIGTERM");
            Assert.True(child.ExitCode == 0, $"exit code {child.ExitCode}: {output}");
        }
        finally
        {
            if (!child.HasExited) child.Kill();
        }
    }
}
