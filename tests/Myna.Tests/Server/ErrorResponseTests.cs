using System.Net;
using System.Text;
using System.Text.Json;
using Myna.Generation;
using Myna.Server;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary>Every row of the error table over raw HTTP: status, the four-field body, param and code.</summary>
public sealed class ErrorResponseTests(TinyServerFixture fixture) : IClassFixture<TinyServerFixture>
{
    private HttpClient Http => fixture.Server.Http;

    [Theory]
    [InlineData("""{"messages":"hi"}""", "messages", "invalid_type")]
    [InlineData("""{"messages":[]}""", "messages", "invalid_value")]
    [InlineData("""{"model":"tiny"}""", "messages", "missing_required_parameter")]
    [InlineData("""{"messages":[{"role":"user","content":5}]}""", "messages[0].content", "invalid_type")]
    [InlineData("""{"messages":[{"role":"robot","content":"x"}]}""", "messages[0].role", "invalid_value")]
    [InlineData("""{"messages":[{"role":"user","content":"x"},{"role":"tool","content":"x","tool_call_id":"1"}]}""", "messages[1].role", "unsupported_parameter")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"http://x/y.png"}}]}]}""", "messages[0].content[0].type", "unsupported_parameter")]
    [InlineData("""{"messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"1"}]},{"role":"user","content":"x"}]}""", "messages[0].tool_calls", "unsupported_parameter")]
    public async Task Bad_messages_name_the_parameter(string body, string param, string code)
    {
        HttpResponseMessage response = await Http.PostJsonAsync("/v1/chat/completions", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = await response.ReadErrorAsync();
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        Assert.Equal(param, error.GetProperty("param").StringOrNull());
        Assert.Equal(code, error.GetProperty("code").StringOrNull());
    }

    [Theory]
    [InlineData("\"temperature\":2.5", "temperature")]
    [InlineData("\"temperature\":\"hot\"", "temperature")]
    [InlineData("\"top_p\":1.5", "top_p")]
    [InlineData("\"n\":9", "n")]
    [InlineData("\"n\":2.5", "n")]
    [InlineData("\"max_tokens\":0", "max_tokens")]
    [InlineData("\"max_completion_tokens\":-3", "max_completion_tokens")]
    [InlineData("\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]", "stop")]
    [InlineData("\"stop\":7", "stop")]
    [InlineData("\"presence_penalty\":-2.5", "presence_penalty")]
    [InlineData("\"frequency_penalty\":3", "frequency_penalty")]
    [InlineData("\"seed\":\"x\"", "seed")]
    [InlineData("\"stream\":\"yes\"", "stream")]
    [InlineData("\"stream_options\":{\"include_usage\":1}", "stream_options.include_usage")]
    [InlineData("\"logit_bias\":{\"50\":101}", "logit_bias")]
    [InlineData("\"top_logprobs\":3", "top_logprobs")]
    [InlineData("\"top_logprobs\":21", "top_logprobs")]
    [InlineData("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]", "tools")]
    [InlineData("\"functions\":[{\"name\":\"f\"}]", "functions")]
    [InlineData("\"tool_choice\":\"auto\"", "tool_choice")]
    [InlineData("\"response_format\":{\"type\":\"json_object\"}", "response_format")]
    [InlineData("\"truncation\":\"sometimes\"", "truncation")]
    [InlineData("\"top_k\":-1", "top_k")]
    [InlineData("\"user\":42", "user")]
    public async Task Out_of_range_wrong_type_and_unsupported_parameters_are_400_naming_them(string extra, string param)
    {
        HttpResponseMessage response = await Http.PostJsonAsync("/v1/chat/completions", ServerHttp.Chat(extra));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = await response.ReadErrorAsync();
        Assert.Equal(param, error.GetProperty("param").StringOrNull());
    }

    [Theory]
    [InlineData("""{"prompt":"hi","suffix":"end"}""", "suffix")]
    [InlineData("""{"prompt":"hi","best_of":2}""", "best_of")]
    [InlineData("""{"prompt":[1,"a"]}""", "prompt")]
    [InlineData("""{"prompt":[]}""", "prompt")]
    [InlineData("""{"prompt":[[1,2],[99999]]}""", "prompt[1][0]")]
    [InlineData("""{"prompt":{"text":"hi"}}""", "prompt")]
    [InlineData("""{"prompt":"hi","logprobs":6}""", "logprobs")]
    [InlineData("""{"prompt":"hi","logit_bias":{"257":1}}""", "logit_bias")]
    [InlineData("""{"max_tokens":4}""", "prompt")]
    public async Task Bad_completion_parameters_are_400_naming_them(string body, string param)
    {
        HttpResponseMessage response = await Http.PostJsonAsync("/v1/completions", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, (await response.ReadErrorAsync()).GetProperty("param").StringOrNull());
    }

    [Fact]
    public async Task Malformed_json_invalid_utf8_and_deep_nesting_are_400_invalid_json()
    {
        string deep = string.Concat(Enumerable.Repeat("[", 65)) + string.Concat(Enumerable.Repeat("]", 65));
        byte[][] bodies =
        [
            "{\"messages\":"u8.ToArray(),
            [.. "{\"messages\":[{\"role\":\"user\",\"content\":\""u8, 0xC3, 0x28, .. "\"}]}"u8],
            Encoding.UTF8.GetBytes($"{{\"extra\":{deep},\"messages\":[{{\"role\":\"user\",\"content\":\"x\"}}]}}"),
            "[1,2]"u8.ToArray(),
        ];
        foreach (byte[] body in bodies)
        {
            HttpResponseMessage response = await Http.PostBytesAsync("/v1/chat/completions", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            JsonElement error = await response.ReadErrorAsync();
            Assert.Equal("invalid_json", error.GetProperty("code").GetString());
            Assert.Null(error.GetProperty("param").StringOrNull());
        }
    }

    [Fact]
    public async Task A_prompt_and_completion_longer_than_the_context_is_context_length_exceeded()
    {
        HttpResponseMessage response = await Http.PostJsonAsync("/v1/chat/completions",
            """{"messages":[{"role":"user","content":"Hello"}],"max_completion_tokens":1020}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = await response.ReadErrorAsync("n_prompt_tokens", "n_ctx");
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Equal("messages", error.GetProperty("param").GetString());
        Assert.Equal(TinyServerFixture.ContextLength, error.GetProperty("n_ctx").GetInt32());
        int promptTokens = fixture.Server.Model.Tokenizer!.Encode("User: Hello\nAssistant:").Length;
        Assert.Equal(promptTokens, error.GetProperty("n_prompt_tokens").GetInt32());

        string longPrompt = new('x', TinyServerFixture.ContextLength);
        response = await Http.PostJsonAsync("/v1/completions", $$"""{"prompt":"{{longPrompt}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("context_length_exceeded", (await response.ReadErrorAsync("n_prompt_tokens", "n_ctx")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Truncation_auto_drops_the_oldest_turns_instead()
    {
        string old = new('o', 900);
        string body = $$"""{"messages":[{"role":"user","content":"{{old}}"},{"role":"assistant","content":"ok"},{"role":"user","content":"Hi"}],"max_tokens":200,"truncation":"auto"}""";
        HttpResponseMessage response = await Http.PostJsonAsync("/v1/chat/completions", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        // The oldest turn goes; the assistant's reply and the last question fit.
        int expectedPrompt = fixture.Server.Model.Tokenizer!.Encode("Assistant: ok\n\nUser: Hi\nAssistant:").Length;
        Assert.Equal(expectedPrompt, answer.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());

        response = await Http.PostJsonAsync("/v1/chat/completions", body.Replace("\"auto\"", "\"disabled\""));
        Assert.Equal("context_length_exceeded", (await response.ReadErrorAsync("n_prompt_tokens", "n_ctx")).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Unknown_models_and_routes_are_404_and_wrong_methods_405()
    {
        HttpResponseMessage response = await Http.PostJsonAsync("/v1/chat/completions", ServerHttp.Chat().Replace("\"tiny\"", "\"gpt-4o\""));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        JsonElement error = await response.ReadErrorAsync();
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        Assert.Equal("model", error.GetProperty("param").GetString());

        response = await Http.GetAsync("/v1/models/gpt-4o");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("model_not_found", (await response.ReadErrorAsync()).GetProperty("code").GetString());

        response = await Http.PostJsonAsync("/v1/embeddings", "{}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await response.ReadErrorAsync();

        response = await Http.GetAsync("/v1/chat/completions");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        await response.ReadErrorAsync();
    }

    [Fact]
    public async Task Bodies_that_are_not_json_are_415_and_too_large_413()
    {
        HttpResponseMessage response = await Http.PostBytesAsync("/v1/chat/completions", "hello"u8.ToArray(), "text/plain");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        await response.ReadErrorAsync();

        byte[] large = Encoding.UTF8.GetBytes(ServerHttp.Chat(content: new string('a', (int)new ServerOptions().MaxBodyBytes + 1)));
        // A client that waits for 100-continue learns of the limit before sending the body (as curl does for large bodies).
        using var tooLarge = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new ByteArrayContent(large) };
        tooLarge.Content.Headers.ContentType = new("application/json");
        tooLarge.Headers.ExpectContinue = true;
        response = await Http.SendAsync(tooLarge);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await response.ReadErrorAsync();
    }

    [Fact]
    public async Task Unknown_top_level_fields_are_ignored_and_listed()
    {
        HttpResponseMessage response = await Http.PostJsonAsync("/v1/chat/completions", ServerHttp.Chat("\"store\":true,\"metadata\":{\"a\":\"b\"},\"user\":\"u1\""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("store, metadata", Assert.Single(response.Headers.GetValues("X-Myna-Ignored-Fields")));

        response = await Http.PostJsonAsync("/v1/chat/completions", ServerHttp.Chat());
        Assert.False(response.Headers.Contains("X-Myna-Ignored-Fields"));
    }

    [Fact]
    public async Task A_full_queue_is_429_server_overloaded_with_retry_headers()
    {
        using var model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 256);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { Parallel = 1, MaxQueue = 1 });
        // Hold the one slot with a stream nobody reads (it stops at its buffer), and fill the queue behind it.
        using var hold = new CancellationTokenSource();
        GenerationOptions forever = new() { MaxNewTokens = 500, StopAtEndOfText = false };
        server.Scheduler.Submit([1, 2, 3], forever, hold.Token, stream: true);
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.Running == 1, TimeSpan.FromSeconds(10)));
        server.Scheduler.Submit([4, 5, 6], forever, hold.Token, stream: true);

        HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/chat/completions", ServerHttp.Chat());
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("server_overloaded", (await response.ReadErrorAsync()).GetProperty("code").GetString());
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("1000", Assert.Single(response.Headers.GetValues("retry-after-ms")));

        await hold.CancelAsync();
        Assert.True(await RunningServer.EventuallyAsync(() => server.Scheduler.Running == 0 && server.Scheduler.Waiting == 0, TimeSpan.FromSeconds(10)));
        response = await server.Http.PostJsonAsync("/v1/chat/completions", ServerHttp.Chat());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
