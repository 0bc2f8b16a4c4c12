using System.Net;
using System.Net.Sockets;
using System.Text;
using Myna.Server;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary>Content-Security-Policy on every answer, CORS only for the origins named, and Kestrel's slow-client limits.</summary>
public sealed class SecurityHeaderTests
{
    [Fact]
    public async Task Every_answer_carries_the_content_security_policy_and_a_request_id()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 64);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { ApiKeys = ["k"] });
        HttpResponseMessage[] answers =
        [
            await server.Http.GetAsync("/health"),
            await server.Http.GetAsync("/metrics"),
            await server.Http.GetAsync("/no/such/page"),
            await server.Http.PostJsonAsync("/v1/completions", """{"prompt":"a"}"""), // 401
        ];
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.NotFound, HttpStatusCode.Unauthorized], answers.Select(a => a.StatusCode));
        foreach (HttpResponseMessage answer in answers)
        {
            Assert.Equal("default-src 'self'", Assert.Single(answer.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("nosniff", Assert.Single(answer.Headers.GetValues("X-Content-Type-Options")));
            Assert.StartsWith("req-", Assert.Single(answer.Headers.GetValues("X-Request-Id")));
        }
        Assert.Equal(4, answers.Select(a => a.Headers.GetValues("X-Request-Id").Single()).Distinct().Count());
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/v1/chat/completions");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");
        return request;
    }

    [Fact]
    public async Task Cors_is_off_unless_origins_are_named_and_then_only_for_them()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 64);
        await using (RunningServer closed = await RunningServer.StartAsync(model.Path))
        {
            HttpResponseMessage answer = await closed.Http.SendAsync(Preflight("https://app.example"));
            Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
            var get = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
            get.Headers.Add("Origin", "https://app.example");
            Assert.False((await closed.Http.SendAsync(get)).Headers.Contains("Access-Control-Allow-Origin"));
        }

        await using RunningServer open = await RunningServer.StartAsync(model.Path, new ServerOptions { ApiKeys = ["k"], CorsOrigins = ["https://app.example"] });
        HttpResponseMessage allowed = await open.Http.SendAsync(Preflight("https://app.example"));
        Assert.True(allowed.IsSuccessStatusCode, $"preflight answered {allowed.StatusCode}");
        Assert.Equal("https://app.example", Assert.Single(allowed.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("POST", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.False((await open.Http.SendAsync(Preflight("https://evil.example"))).Headers.Contains("Access-Control-Allow-Origin"));

        // The actual request still needs its key; the browser may read the request id.
        using var post = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = new StringContent("""{"prompt":"a","max_tokens":1}""", Encoding.UTF8, "application/json") };
        post.Headers.Add("Origin", "https://app.example");
        post.Headers.Authorization = new("Bearer", "k");
        HttpResponseMessage served = await open.Http.SendAsync(post);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("https://app.example", Assert.Single(served.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("X-Request-Id", served.Headers.GetValues("Access-Control-Expose-Headers").Single());
    }

    [Fact]
    public async Task A_client_that_sends_its_headers_too_slowly_is_dropped()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 64);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        using var client = new TcpClient();
        await client.ConnectAsync(server.Address.Host, server.Address.Port);
        NetworkStream stream = client.GetStream();
        await stream.WriteAsync("GET /health HTTP/1.1\r\nHost: x\r\n"u8.ToArray()); // never finishes its headers
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var buffer = new byte[4096];
        int total = 0, read;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while ((read = await stream.ReadAsync(buffer.AsMemory(total), limit.Token)) > 0) total += read;
        // Kestrel answers 408 and closes the connection once the header timeout (checked about once a second) has passed.
        Assert.InRange(clock.Elapsed.TotalSeconds, 0.5, 15);
        string answer = Encoding.ASCII.GetString(buffer, 0, total);
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), answer);
    }
}
