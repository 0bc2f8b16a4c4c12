using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Myna.Generation;
using Myna.Models.Inference;
using Myna.Server;
using Myna.Tests.Generation;
using Xunit.Abstractions;

namespace Myna.Tests.Server;

/// <summary>Requests share the one scheduler: disconnects free slots, queued requests whose client left never start, batching changes no output.</summary>
public sealed class SchedulingTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_client_that_disconnects_frees_its_slots()
    {
        // 8 × 4000 chunks are more than every buffer on the way holds (socket buffers grow to 4 MiB), so the request
        // cannot have run to its end before the client leaves, however slow the client is to be scheduled.
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 4096);
        await using RunningServer server = await RunningServer.StartAsync(model.Path);
        const int choices = 8, tokens = 4000;
        using HttpClient slowReader = SlowReader(server.Address);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = new StringContent($$"""{"prompt":"Hi","n":{{choices}},"temperature":1,"max_tokens":{{tokens}},"ignore_eos":true,"stream":true}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        HttpResponseMessage response = await slowReader.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using (var reader = new StreamReader(await response.Content.ReadAsStreamAsync()))
            Assert.StartsWith("data: ", await reader.ReadLineAsync());
        response.Dispose();
        slowReader.Dispose();

        // Freed at the step after the server sees the connection close (milliseconds here); the bound allows for a loaded CI box.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.Running == 0 && server.Scheduler.SlotsInUse == 0, TimeSpan.FromSeconds(2)),
            $"the slots were not freed after the client left (running {server.Scheduler.Running}, slots {server.Scheduler.SlotsInUse})");
        output.WriteLine($"slots freed {clock.ElapsedMilliseconds} ms after the client closed");
        long generated = server.Scheduler.Statistics.TokensGenerated;
        // Cut short (not run to the end), and nothing more runs for it.
        Assert.True(generated < choices * tokens, $"the request ran to its end ({generated} tokens) before the client left; the test proves nothing");
        await Task.Delay(100);
        Assert.Equal(generated, server.Scheduler.Statistics.TokensGenerated);
    }

    [Fact]
    public async Task A_queued_request_whose_client_left_never_starts()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 256);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { Parallel = 1 });
        using var hold = new CancellationTokenSource();
        server.Scheduler.Submit([1, 2, 3], new GenerationOptions { MaxNewTokens = 200, StopAtEndOfText = false }, hold.Token, stream: true);
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.Running == 1, TimeSpan.FromSeconds(10)));
        long prefilled = server.Scheduler.Statistics.PrefillRows;

        using HttpClient leaving = SlowReader(server.Address);
        HttpResponseMessage response = await leaving.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = new StringContent("""{"prompt":"A long enough prompt","max_tokens":5,"stream":true}""", System.Text.Encoding.UTF8, "application/json"),
        }, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(1, server.Scheduler.Waiting);
        response.Dispose();
        leaving.Dispose();
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.Waiting == 0, TimeSpan.FromSeconds(2)));

        await hold.CancelAsync();
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.Running == 0, TimeSpan.FromSeconds(2)));
        Assert.Equal(prefilled, server.Scheduler.Statistics.PrefillRows); // the queued prompt was never fed
    }

    [Fact]
    public async Task A_queued_stream_sends_keep_alive_comments_until_it_starts()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 256);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { Parallel = 1, KeepAliveInterval = TimeSpan.FromMilliseconds(50) });
        using var hold = new CancellationTokenSource();
        server.Scheduler.Submit([1, 2, 3], new GenerationOptions { MaxNewTokens = 200, StopAtEndOfText = false }, hold.Token, stream: true);
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.Running == 1, TimeSpan.FromSeconds(10)));

        HttpResponseMessage response = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"messages":[{"role":"user","content":"Hi"}],"max_tokens":4,"stream":true}""", System.Text.Encoding.UTF8, "application/json"),
        }, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Contains("\"role\":\"assistant\"", await reader.ReadLineAsync());
        Assert.Equal("", await reader.ReadLineAsync());
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(": keep-alive", await reader.ReadLineAsync());
            Assert.Equal("", await reader.ReadLineAsync());
        }
        await hold.CancelAsync();
        string rest = await reader.ReadToEndAsync();
        Assert.EndsWith("data: [DONE]\n\n", rest);
        Assert.Contains("\"finish_reason\":\"length\"", rest);
    }

    [Theory]
    [InlineData(InferencePrecision.F32)]
    [InlineData(InferencePrecision.F16)]
    public async Task Sixteen_concurrent_greedy_or_seeded_requests_each_equal_their_solo_answer(InferencePrecision precision)
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 256);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, precision: precision);
        // Half greedy, half sampled with a seed of their own; prompts of different lengths so prefill and decode rows mix.
        string[] bodies = Enumerable.Range(0, 16).Select(i =>
        {
            string prompt = JsonSerializer.Serialize(new string((char)('a' + i), 1 + i % 5) + " story " + i);
            string sampling = i % 2 == 0 ? "\"temperature\":0" : $"\"temperature\":0.9,\"seed\":{i}";
            return $$"""{"prompt":{{prompt}},{{sampling}},"max_tokens":24,"ignore_eos":true,"logprobs":3}""";
        }).ToArray();
        async Task<string> Complete(string body)
        {
            HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/completions", body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            JsonElement choice = answer.RootElement.GetProperty("choices")[0];
            // Tokens, their log-probabilities and the alternatives', bit for bit (the JSON numbers are the floats' shortest round-trip form).
            JsonElement logprobs = choice.GetProperty("logprobs");
            return choice.GetProperty("text").GetString() + "|" + logprobs.GetProperty("token_logprobs").GetRawText() + "|" + logprobs.GetProperty("top_logprobs").GetRawText();
        }
        var solo = new List<string>();
        foreach (string body in bodies) solo.Add(await Complete(body));
        string[] together = await Task.WhenAll(bodies.Select(Complete));
        Assert.Equal(solo, together);
        Assert.True(server.Scheduler.Statistics.RowsPerStep > 1.5, "the concurrent requests should have shared steps");
    }

    [Fact]
    public async Task Under_overload_every_answer_is_200_or_429()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 256);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { Parallel = 2, MaxQueue = 2 });
        HttpResponseMessage[] responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            server.Http.PostJsonAsync("/v1/completions", $$"""{"prompt":"p{{i}}","max_tokens":100,"ignore_eos":true}""")));
        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.TooManyRequests }));
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode);
    }

    /// <summary>
    /// A client with a 4 KiB receive buffer, so a stream it does not read stalls soon, and that closes the connection
    /// when a response is dropped (by default the handler first drains up to 1 MiB to reuse the connection).
    /// </summary>
    private static HttpClient SlowReader(Uri address) => new(new SocketsHttpHandler
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
