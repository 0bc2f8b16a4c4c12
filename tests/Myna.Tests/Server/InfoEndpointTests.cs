using System.Net;
using System.Text.Json;

namespace Myna.Tests.Server;

/// <summary>Models, probes and the tokenizer routes.</summary>
public sealed class InfoEndpointTests(TinyServerFixture fixture) : IClassFixture<TinyServerFixture>
{
    private HttpClient Http => fixture.Server.Http;

    [Fact]
    public async Task Models_list_the_served_model()
    {
        using JsonDocument list = JsonDocument.Parse(await Http.GetStringAsync("/v1/models"));
        Assert.Equal("list", list.RootElement.GetProperty("object").GetString());
        JsonElement model = Assert.Single(list.RootElement.GetProperty("data").EnumerateArray());
        Assert.Equal(RunningServer.ModelId, model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
        Assert.Equal(TinyServerFixture.ContextLength, model.GetProperty("max_model_len").GetInt32());
        using JsonDocument one = JsonDocument.Parse(await Http.GetStringAsync("/v1/models/tiny"));
        Assert.Equal(model.GetRawText(), one.RootElement.GetRawText());
    }

    [Fact]
    public async Task Health_and_ready_answer_200_while_serving()
    {
        Assert.Equal("""{"status":"ok"}""", await Http.GetStringAsync("/health"));
        Assert.Equal("""{"status":"ready"}""", await Http.GetStringAsync("/ready"));
    }

    [Fact]
    public async Task Tokenize_and_detokenize_round_trip()
    {
        HttpResponseMessage response = await Http.PostJsonAsync("/tokenize", """{"prompt":"héllo"}""");
        using JsonDocument tokens = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        int[] ids = tokens.RootElement.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        Assert.Equal(fixture.Server.Model.Tokenizer!.Encode("héllo"), ids);
        Assert.Equal(ids.Length, tokens.RootElement.GetProperty("count").GetInt32());

        response = await Http.PostJsonAsync("/detokenize", $$"""{"tokens":{{JsonSerializer.Serialize(ids)}}}""");
        using JsonDocument text = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("héllo", text.RootElement.GetProperty("prompt").GetString());

        response = await Http.PostJsonAsync("/detokenize", """{"tokens":[1,"x"]}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("tokens[1]", (await response.ReadErrorAsync()).GetProperty("param").GetString());
    }
}
