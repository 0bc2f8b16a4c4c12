using System.Net;
using System.Text.Json;
using Myna.Server;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary><c>POST /v1/apps/translate</c> on a real Kestrel server, with a tiny model as the translation model.</summary>
public sealed class TranslateApiTests : IDisposable
{
    private readonly TinyModelDirectory _model = TinyModelDirectory.Create(tiedEmbeddings: true, contextLength: 128);

    public void Dispose() => _model.Dispose();

    private Task<RunningServer> StartAsync(ServerOptions? options = null) =>
        RunningServer.StartAsync(_model.Path, (options ?? new ServerOptions()) with { TranslationModel = options?.TranslationModel ?? _model.Path });

    [Fact]
    public async Task Translates_with_the_issue_shape()
    {
        await using RunningServer server = await StartAsync();
        HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/apps/translate", """{"text":"Debian is free.","source":"en","target":"zh-CN"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        JsonElement body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(["translation", "source", "target"], body.EnumerateObject().Select(p => p.Name));
        string expected = Myna.Apps.Translation.Translator.FromDirectory(_model.Path).Translate("Debian is free.");
        Assert.Equal(expected, body.GetProperty("translation").GetString());

        HttpResponseMessage defaults = await server.Http.PostJsonAsync("/v1/apps/translate", """{"text":"Debian is free."}""");
        Assert.Equal(HttpStatusCode.OK, defaults.StatusCode);
    }

    [Theory]
    [InlineData("""{"text":"hi","source":"fr"}""", "source", "unsupported_language_pair")]
    [InlineData("""{"text":"hi","target":"de"}""", "target", "unsupported_language_pair")]
    [InlineData("""{"source":"en"}""", "text", "missing_required_parameter")]
    [InlineData("""{"text":7}""", "text", "invalid_type")]
    [InlineData("""{"text":"  "}""", "text", "invalid_value")]
    public async Task Bad_requests_get_the_error_envelope(string body, string param, string code)
    {
        await using RunningServer server = await StartAsync();
        HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/apps/translate", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = await response.ReadErrorAsync();
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Text_too_long_for_the_context_is_a_400()
    {
        await using RunningServer server = await StartAsync();
        HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/apps/translate", $$"""{"text":"{{new string('x', 300)}}"}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("context", (await response.ReadErrorAsync()).GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_missing_model_is_a_503_and_keys_apply()
    {
        await using RunningServer missing = await StartAsync(new ServerOptions { TranslationModel = Path.Combine(_model.Path, "missing") });
        HttpResponseMessage unavailable = await missing.Http.PostJsonAsync("/v1/apps/translate", """{"text":"hi"}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.Contains("recipes/translate.sh", (await unavailable.ReadErrorAsync()).GetProperty("message").GetString());

        await using RunningServer keyed = await StartAsync(new ServerOptions { ApiKeys = ["k1"] });
        HttpResponseMessage denied = await keyed.Http.PostJsonAsync("/v1/apps/translate", """{"text":"hi"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
    }
}
