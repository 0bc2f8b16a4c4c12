using System.Net;
using System.Text.Json;
using Myna.Models.Inference;

namespace Myna.Tests.Server;

/// <summary>
/// <c>top_logprobs</c> (chat), <c>logprobs</c> (completions) and <c>echo</c> with <c>logprobs</c> in OpenAI's shapes,
/// whole and streamed; echoed prompt scores against an independent full forward of the prompt.
/// </summary>
public sealed class LogProbsTests(TinyServerFixture fixture) : IClassFixture<TinyServerFixture>
{
    private HttpClient Http => fixture.Server.Http;

    [Fact]
    public async Task Chat_top_logprobs_are_sorted_alternatives_the_same_whole_and_streamed()
    {
        const string body = """{"messages":[{"role":"user","content":"Hi"}],"temperature":0,"max_tokens":6,"ignore_eos":true,"logprobs":true,"top_logprobs":4""";
        HttpResponseMessage whole = await Http.PostJsonAsync("/v1/chat/completions", body + "}");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        using JsonDocument answer = JsonDocument.Parse(await whole.Content.ReadAsStringAsync());
        JsonElement[] content = [.. answer.RootElement.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content").EnumerateArray()];
        Assert.Equal(6, content.Length);
        foreach (JsonElement token in content)
        {
            JsonElement[] top = [.. token.GetProperty("top_logprobs").EnumerateArray()];
            Assert.Equal(4, top.Length);
            Assert.Equal(["token", "logprob", "bytes"], top[0].EnumerateObject().Select(p => p.Name));
            double[] values = top.Select(t => t.GetProperty("logprob").GetDouble()).ToArray();
            Assert.Equal(values.OrderDescending(), values);
            // Greedy: the chosen token is the most likely one, with the same number.
            Assert.Equal(token.GetProperty("token").GetString(), top[0].GetProperty("token").GetString());
            Assert.Equal(token.GetProperty("logprob").GetDouble(), values[0]);
        }

        List<JsonElement> events = await StreamingTests.ReadEventsAsync(await Http.PostJsonAsync("/v1/chat/completions", body + ""","stream":true}"""));
        string[] streamed = events.Select(e => e.GetProperty("choices")[0].GetProperty("logprobs")).Where(l => l.ValueKind != JsonValueKind.Null)
            .SelectMany(l => l.GetProperty("content").EnumerateArray()).Select(t => t.GetRawText()).ToArray();
        Assert.Equal(content.Select(t => t.GetRawText()), streamed);
    }

    [Fact]
    public async Task Completion_logprobs_list_alternatives_and_the_chosen_token()
    {
        HttpResponseMessage response = await Http.PostJsonAsync("/v1/completions",
            """{"prompt":"Once","temperature":0.8,"seed":4,"max_tokens":8,"ignore_eos":true,"logprobs":3}""");
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement logprobs = answer.RootElement.GetProperty("choices")[0].GetProperty("logprobs");
        Assert.Equal(["tokens", "token_logprobs", "top_logprobs", "text_offset"], logprobs.EnumerateObject().Select(p => p.Name));
        string[] tokens = [.. logprobs.GetProperty("tokens").EnumerateArray().Select(t => t.GetString()!)];
        double[] chosen = [.. logprobs.GetProperty("token_logprobs").EnumerateArray().Select(t => t.GetDouble())];
        JsonElement[] tops = [.. logprobs.GetProperty("top_logprobs").EnumerateArray()];
        Assert.Equal(8, tokens.Length);
        for (int i = 0; i < tokens.Length; i++)
        {
            Dictionary<string, double> top = tops[i].EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
            Assert.InRange(top.Count, 1, 4); // three alternatives, and the chosen token when it is not one of them
            Assert.Equal(chosen[i], top[tokens[i]]);
        }
    }

    [Fact]
    public async Task Echo_with_logprobs_scores_the_prompt_as_a_full_forward_does()
    {
        const string prompt = "Hello, world";
        const string body = """{"prompt":"Hello, world","temperature":0,"max_tokens":4,"ignore_eos":true,"echo":true,"logprobs":2""";
        HttpResponseMessage response = await Http.PostJsonAsync("/v1/completions", body + "}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement choice = answer.RootElement.GetProperty("choices")[0];
        JsonElement logprobs = choice.GetProperty("logprobs");
        Assert.StartsWith(prompt, choice.GetProperty("text").GetString());
        JsonElement[] values = [.. logprobs.GetProperty("token_logprobs").EnumerateArray()];
        Assert.Equal(prompt.Length + 4, values.Length); // one byte token per character
        Assert.Equal(JsonValueKind.Null, values[0].ValueKind);
        Assert.Equal(JsonValueKind.Null, logprobs.GetProperty("top_logprobs")[0].ValueKind);
        Assert.Equal(0, logprobs.GetProperty("text_offset")[0].GetInt32());
        Assert.Equal(prompt.Length, logprobs.GetProperty("text_offset")[prompt.Length].GetInt32());

        // The reference: every position's logits from one forward pass, log-softmax in double.
        var weights = fixture.Directory.Weights;
        int vocab = weights.Config.VocabSize;
        int[] ids = [.. System.Text.Encoding.UTF8.GetBytes(prompt).Select(b => (int)b)];
        var logits = new float[ids.Length * vocab];
        new GptInference(weights).Forward([0], [ids.Length], ids, logits, allPositions: true);
        for (int i = 1; i < ids.Length; i++)
        {
            float[] row = logits.AsSpan((i - 1) * vocab, vocab).ToArray();
            double max = row.Max(), expected = row[ids[i]] - max - Math.Log(row.Sum(v => Math.Exp(v - max)));
            Assert.Equal(expected, values[i].GetDouble(), 1e-5);
        }

        // Streamed: the echo chunk carries the prompt's scores, the token chunks the rest; together the whole answer's.
        List<JsonElement> events = await StreamingTests.ReadEventsAsync(await Http.PostJsonAsync("/v1/completions", body + ""","stream":true}"""));
        var streamed = new Dictionary<string, List<string>>();
        foreach (JsonElement e in events)
        {
            foreach (JsonProperty field in e.GetProperty("choices")[0].GetProperty("logprobs").EnumerateObject())
            {
                if (!streamed.TryGetValue(field.Name, out List<string>? list)) streamed[field.Name] = list = [];
                list.AddRange(field.Value.EnumerateArray().Select(v => v.GetRawText()));
            }
        }
        foreach (JsonProperty field in logprobs.EnumerateObject())
            Assert.Equal(field.Value.EnumerateArray().Select(v => v.GetRawText()), streamed[field.Name]);
    }

    [Fact]
    public async Task Echo_with_max_tokens_0_scores_the_prompt_only_whole_and_streamed()
    {
        const string body = """{"prompt":"Score me","max_tokens":0,"echo":true,"logprobs":1""";
        HttpResponseMessage response = await Http.PostJsonAsync("/v1/completions", body + "}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement choice = answer.RootElement.GetProperty("choices")[0];
        Assert.Equal("Score me", choice.GetProperty("text").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        JsonElement logprobs = choice.GetProperty("logprobs");
        Assert.Equal("Score me".Length, logprobs.GetProperty("token_logprobs").GetArrayLength());
        Assert.Equal(0, answer.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

        List<JsonElement> events = await StreamingTests.ReadEventsAsync(await Http.PostJsonAsync("/v1/completions", body + ""","stream":true}"""));
        JsonElement streamed = Assert.Single(events).GetProperty("choices")[0];
        Assert.Equal("Score me", streamed.GetProperty("text").GetString());
        Assert.Equal("length", streamed.GetProperty("finish_reason").GetString());
        Assert.Equal(logprobs.GetRawText(), streamed.GetProperty("logprobs").GetRawText());

        // Without echo, 0 new tokens is no request at all.
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.PostJsonAsync("/v1/completions", """{"prompt":"x","max_tokens":0}""")).StatusCode);
    }
}
