using System.Net;
using System.Text;
using System.Text.Json;
using Myna.Generation;
using Myna.Generation.Chat;

namespace Myna.Tests.Server;

/// <summary>The server-sent event stream, byte for byte, and stream/whole agreement.</summary>
public sealed class StreamingTests(TinyServerFixture fixture) : IClassFixture<TinyServerFixture>
{
    private RunningServer Server => fixture.Server;

    [Fact]
    public async Task A_streamed_chat_is_exactly_the_openai_event_sequence()
    {
        HttpResponseMessage response = await Server.Http.PostJsonAsync("/v1/chat/completions",
            """{"model":"tiny","messages":[{"role":"user","content":"Hello"}],"temperature":0,"max_tokens":12,"stream":true,"stream_options":{"include_usage":true}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        string body = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());

        // The expected bytes, built from the engine's own chunks (the model's scheduler, not the server's).
        int[] prompt = Server.Model.Tokenizer!.Encode(ChatTemplate.Format([new ChatTemplate.Turn(ChatSpeaker.User, "Hello")]));
        var options = new GenerationOptions { MaxNewTokens = 12, StopSequences = ChatTemplate.StopSequences };
        var chunks = new List<GenerationChunk>();
        await foreach (GenerationChunk chunk in Server.Model.GenerateStreamAsync(prompt, options)) chunks.Add(chunk);

        using JsonDocument first = JsonDocument.Parse(body["data: ".Length..body.IndexOf("\n\n", StringComparison.Ordinal)]);
        string id = first.RootElement.GetProperty("id").GetString()!;
        long created = first.RootElement.GetProperty("created").GetInt64();
        string head = $$"""{"id":"{{id}}","object":"chat.completion.chunk","created":{{created}},"model":"tiny",""";
        var expected = new StringBuilder();
        expected.Append("data: ").Append(head).Append("""
            "choices":[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}],"usage":null}
            """).Append("\n\n");
        bool started = false;
        string finish = "";
        foreach (GenerationChunk chunk in chunks)
        {
            string text = started ? chunk.Text : chunk.Text.TrimStart();
            started |= text.Length > 0;
            if (text.Length > 0)
            {
                expected.Append("data: ").Append(head).Append($$"""
                    "choices":[{"index":0,"delta":{"content":{{JsonSerializer.Serialize(text)}}},"logprobs":null,"finish_reason":null}],"usage":null}
                    """).Append("\n\n");
            }
            if (chunk.FinishReason is { } reason) finish = reason is FinishReason.Length or FinishReason.ContextFull ? "length" : "stop";
        }
        expected.Append("data: ").Append(head).Append($$"""
            "choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"{{finish}}"}],"usage":null}
            """).Append("\n\n");
        expected.Append("data: ").Append(head).Append($"\"choices\":[],\"usage\":{{\"prompt_tokens\":{prompt.Length},\"completion_tokens\":{chunks.Count},\"total_tokens\":{prompt.Length + chunks.Count}}}}}")
            .Append("\n\n");
        expected.Append("data: [DONE]\n\n");
        Assert.Equal(expected.ToString(), body);
    }

    [Fact]
    public async Task Without_include_usage_no_chunk_carries_usage()
    {
        HttpResponseMessage response = await Server.Http.PostJsonAsync("/v1/chat/completions",
            """{"messages":[{"role":"user","content":"Hi"}],"temperature":0,"max_tokens":6,"stream":true}""");
        List<JsonElement> events = await ReadEventsAsync(response);
        Assert.All(events, e => Assert.Equal(JsonValueKind.Null, e.GetProperty("usage").ValueKind));
        Assert.All(events, e => Assert.Single(e.GetProperty("choices").EnumerateArray()));
    }

    [Fact]
    public async Task Streamed_and_whole_completions_agree_for_every_choice()
    {
        const string request = """{"prompt":["Once","Twice"],"n":2,"seed":7,"temperature":0.9,"max_tokens":10,"echo":true,"ignore_eos":true""";
        HttpResponseMessage whole = await Server.Http.PostJsonAsync("/v1/completions", request + "}");
        using JsonDocument answer = JsonDocument.Parse(await whole.Content.ReadAsStringAsync());
        var wholeTexts = answer.RootElement.GetProperty("choices").EnumerateArray()
            .ToDictionary(c => c.GetProperty("index").GetInt32(), c => c.GetProperty("text").GetString()!);
        Assert.Equal([0, 1, 2, 3], wholeTexts.Keys.Order());
        Assert.StartsWith("Once", wholeTexts[0]);
        Assert.StartsWith("Twice", wholeTexts[3]);
        Assert.Equal(4 * 10, answer.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        List<JsonElement> events = await ReadEventsAsync(await Server.Http.PostJsonAsync("/v1/completions", request + ""","stream":true,"stream_options":{"include_usage":true}}"""));
        var streamed = new Dictionary<int, StringBuilder>();
        var finishes = new Dictionary<int, int>();
        foreach (JsonElement e in events.SkipLast(1))
        {
            JsonElement choice = Assert.Single(e.GetProperty("choices").EnumerateArray());
            int index = choice.GetProperty("index").GetInt32();
            Assert.False(finishes.ContainsKey(index), "a choice's finish_reason must be on its last chunk");
            (streamed.TryGetValue(index, out StringBuilder? text) ? text : streamed[index] = new StringBuilder()).Append(choice.GetProperty("text").GetString());
            if (choice.GetProperty("finish_reason").ValueKind != JsonValueKind.Null) finishes[index] = 1;
        }
        Assert.Equal(4, finishes.Count);
        Assert.Equal(wholeTexts, streamed.ToDictionary(p => p.Key, p => p.Value.ToString()));
        Assert.Equal(40, events[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Greedy_n_returns_copies_in_every_choice()
    {
        HttpResponseMessage response = await Server.Http.PostJsonAsync("/v1/chat/completions",
            """{"messages":[{"role":"user","content":"Hi"}],"temperature":0,"n":3,"max_tokens":8}""");
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        string[] texts = answer.RootElement.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("message").GetProperty("content").GetString()!).ToArray();
        Assert.Equal(3, texts.Length);
        Assert.All(texts, t => Assert.Equal(texts[0], t));
    }

    [Fact]
    public async Task Logprobs_report_each_chosen_token()
    {
        HttpResponseMessage response = await Server.Http.PostJsonAsync("/v1/chat/completions",
            """{"messages":[{"role":"user","content":"Hi"}],"temperature":0,"max_tokens":5,"logprobs":true,"ignore_eos":true}""");
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement content = answer.RootElement.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content");
        Assert.Equal(5, content.GetArrayLength());
        foreach (JsonElement token in content.EnumerateArray())
        {
            double logProb = token.GetProperty("logprob").GetDouble();
            Assert.InRange(logProb, -50, 0);
            Assert.Single(token.GetProperty("bytes").EnumerateArray()); // byte-level tokenizer: one byte per token
        }
    }

    internal static async Task<List<JsonElement>> ReadEventsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string body = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("data: [DONE]\n\n", body);
        string[] events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.All(events, e => Assert.StartsWith("data: ", e));
        return events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement.Clone()).ToList();
    }
}
