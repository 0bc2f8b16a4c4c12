using System.Net;
using System.Text;
using System.Text.Json;
using Myna.Tests.Generation;

namespace Myna.Tests.Cli;

/// <summary><c>myna serve</c> as a user runs it: a child process that prints its address, answers, and stops cleanly on Ctrl+C.</summary>
public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_prints_its_port_answers_and_exits_0_on_sigint()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 128);
        using ServeProcess server = await ServeProcess.StartAsync(["--model", model.Path, "--port", "0", "--parallel", "2", "--served-model-name", "tiny-served", "--api-key", "secret"]);
        Assert.Matches(@"^listening on http://127\.0\.0\.1:\d+$", server.ListeningLine);
        using var http = new HttpClient { BaseAddress = server.Address };

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

        await server.SignalAsync("INT");
        Assert.True(server.WaitForExit(TimeSpan.FromSeconds(30)), "myna serve did not stop after SIGINT");
        Assert.Equal(0, server.ExitCode);
    }
}
