using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Myna.Cli;
using Myna.Tests.Generation;

namespace Myna.Tests.Cli;

/// <summary><c>myna serve</c> as a user runs it: a child process that prints its address, answers, and stops cleanly on Ctrl+C.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_prints_its_port_answers_and_exits_0_on_sigint()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 128);
        var output = new StringBuilder();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { MynaDll(), "serve", "--model", model.Path, "--port", "0", "--parallel", "2", "--served-model-name", "tiny-served", "--api-key", "secret" })
            start.ArgumentList.Add(arg);
        using var child = new Process { StartInfo = start };
        child.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        child.ErrorDataReceived += (_, _) => { };
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
            Assert.NotNull(line);
            Assert.Matches(@"^listening on http://127\.0\.0\.1:\d+$", line);
            using var http = new HttpClient { BaseAddress = new Uri(line["listening on ".Length..]) };

            using JsonDocument models = JsonDocument.Parse(await http.GetStringAsync("/v1/models"));
            Assert.Equal("tiny-served", models.RootElement.GetProperty("data")[0].GetProperty("id").GetString());
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent("""{"model":"tiny-served","messages":[{"role":"user","content":"Hi"}],"max_tokens":3}""", Encoding.UTF8, "application/json"),
            };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);
            request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = request.Content };
            request.Headers.Authorization = new("Bearer", "secret");
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);

            using (Process signal = Process.Start("kill", ["-INT", child.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                await signal.WaitForExitAsync();
            Assert.True(child.WaitForExit(30_000), "myna serve did not stop after SIGINT");
            Assert.Equal(0, child.ExitCode);
        }
        finally
        {
            if (!child.HasExited) child.Kill();
        }
    }

    private static string MynaDll()
    {
        string path = typeof(MynaApp).Assembly.Location;
        Assert.True(File.Exists(Path.ChangeExtension(path, ".runtimeconfig.json")), $"no runtimeconfig beside {path}");
        return path;
    }
}
