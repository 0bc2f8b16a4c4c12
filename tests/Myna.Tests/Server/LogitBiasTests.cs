using System.Net;
using System.Text.Json;

namespace Myna.Tests.Server;

/// <summary><c>logit_bias</c> through HTTP: +100 forces a token and −100 bans one, greedy and sampled.</summary>
public sealed class LogitBiasTests(TinyServerFixture fixture) : IClassFixture<TinyServerFixture>
{
    private HttpClient Http => fixture.Server.Http;

    /// <summary>The generated token ids of a chat reply (the tiny tokenizer's ids are bytes, which logprobs report).</summary>
    private async Task<int[]> ReplyIds(string extra)
    {
        HttpResponseMessage response = await Http.PostJsonAsync("/v1/chat/completions",
            $$"""{"messages":[{"role":"user","content":"Tell me a story"}],"max_tokens":24,"ignore_eos":true,"logprobs":true{{extra}}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return answer.RootElement.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("content").EnumerateArray()
            .Select(t => Assert.Single(t.GetProperty("bytes").EnumerateArray()).GetInt32()).ToArray();
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    public async Task A_bias_of_plus_100_forces_its_token(double temperature)
    {
        HttpResponseMessage response = await Http.PostJsonAsync("/v1/completions",
            $$$"""{"prompt":"Hello","max_tokens":8,"temperature":{{{temperature}}},"seed":3,"ignore_eos":true,"logit_bias":{"122":100}}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("zzzzzzzz", answer.RootElement.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_bias_of_minus_100_bans_tokens_greedy()
    {
        int[] free = await ReplyIds(""","temperature":0""");
        int[] banned = free.Distinct().ToArray();
        string bias = string.Join(",", banned.Select(id => $"\"{id}\":-100"));
        int[] constrained = await ReplyIds($$""","temperature":0,"logit_bias":{{{bias}}}""");
        Assert.Equal(free.Length, constrained.Length);
        Assert.Empty(constrained.Intersect(banned));
    }

    [Fact]
    public async Task A_bias_of_minus_100_bans_a_token_sampled()
    {
        int[] free = await ReplyIds(""","temperature":1.5,"seed":9""");
        int favourite = free.GroupBy(id => id).MaxBy(g => g.Count())!.Key;
        int[] constrained = await ReplyIds($$""","temperature":1.5,"seed":9,"logit_bias":{"{{favourite}}":-100}""");
        Assert.DoesNotContain(favourite, constrained);
    }
}
