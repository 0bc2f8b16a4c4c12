using System.Net;
using System.Text.Json;
using Myna.Server;
using Myna.Tests.Apps.Support;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary><c>POST /v1/apps/support/chat</c> on a real Kestrel server over the committed FAQ fixture.</summary>
public sealed class SupportApiTests : IDisposable
{
    private readonly TinyModelDirectory _model = TinyModelDirectory.Create(tiedEmbeddings: true);
    private readonly string _folder = Directory.CreateTempSubdirectory("myna-support-").FullName;

    public void Dispose()
    {
        _model.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private Task<RunningServer> StartAsync(ServerOptions? options = null) =>
        RunningServer.StartAsync(_model.Path, (options ?? new ServerOptions()) with { SupportFaq = SupportFixtures.FaqPath });

    private static async Task<JsonElement> ChatAsync(RunningServer server, string body)
    {
        HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/apps/support/chat", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Answers_with_the_issue_shape_in_both_languages_and_hands_off()
    {
        await using RunningServer server = await StartAsync();
        JsonElement en = await ChatAsync(server, """{"message":"How do I upgrade to the next Debian release?"}""");
        Assert.Equal(["answer", "lang", "sources", "confidence", "handoff"], en.EnumerateObject().Select(p => p.Name));
        Assert.Equal("howtocurrent", en.GetProperty("sources")[0].GetProperty("id").GetString());
        Assert.False(en.GetProperty("handoff").GetBoolean());

        JsonElement zh = await ChatAsync(server, """{"message":"我的无线网卡需要固件，去哪里找？"}""");
        Assert.Equal("zh", zh.GetProperty("lang").GetString());
        Assert.Equal("nonfree", zh.GetProperty("sources")[0].GetProperty("id").GetString());

        JsonElement handoff = await ChatAsync(server, """{"message":"How do I reset my Netflix password?"}""");
        Assert.True(handoff.GetProperty("handoff").GetBoolean());
    }

    [Fact]
    public async Task A_session_carries_the_previous_entry_to_a_follow_up()
    {
        await using RunningServer server = await StartAsync();
        JsonElement first = await ChatAsync(server, """{"session_id":"abc","message":"How do I report a bug in Debian?"}""");
        Assert.Equal("bugreport", first.GetProperty("sources")[0].GetProperty("id").GetString());
        JsonElement followUp = await ChatAsync(server, """{"session_id":"abc","message":"Which program does it?"}""");
        Assert.Equal("bugreport", followUp.GetProperty("sources")[0].GetProperty("id").GetString());
        Assert.False(followUp.GetProperty("handoff").GetBoolean());
        JsonElement alone = await ChatAsync(server, """{"message":"Which program does it?"}""");
        Assert.True(alone.GetProperty("handoff").GetBoolean());
    }

    [Theory]
    [InlineData("{}", "message", "missing_required_parameter")]
    [InlineData("""{"message":42}""", "message", "invalid_type")]
    [InlineData("""{"message":"   "}""", "message", "invalid_value")]
    [InlineData("""{"message":"hi","session_id":""}""", "session_id", "invalid_value")]
    public async Task Bad_requests_get_the_error_envelope(string body, string param, string code)
    {
        await using RunningServer server = await StartAsync();
        HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/apps/support/chat", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        JsonElement error = await response.ReadErrorAsync();
        Assert.Equal(param, error.GetProperty("param").GetString());
        Assert.Equal(code, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Api_keys_and_rate_limits_apply()
    {
        await using RunningServer server = await StartAsync(new ServerOptions { ApiKeys = ["k1"], RateLimitRequests = 1 });
        HttpResponseMessage denied = await server.Http.PostJsonAsync("/v1/apps/support/chat", """{"message":"How do I report a bug?"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        server.Http.DefaultRequestHeaders.Authorization = new("Bearer", "k1");
        Assert.Equal(HttpStatusCode.OK, (await server.Http.PostJsonAsync("/v1/apps/support/chat", """{"message":"How do I report a bug?"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await server.Http.PostJsonAsync("/v1/apps/support/chat", """{"message":"How do I report a bug?"}""")).StatusCode);
    }

    [Fact]
    public async Task The_audit_log_records_the_route_and_only_redacted_messages()
    {
        string path = Path.Combine(_folder, "audit.jsonl");
        await using (RunningServer server = await StartAsync(new ServerOptions { AuditLog = path, LogContent = true }))
            await ChatAsync(server, """{"message":"I am jane.doe@example.com, how do I report a bug?"}""");
        Assert.True(await RunningServer.EventuallyAsync(() => File.Exists(path) && File.ReadAllLines(path).Length >= 1, TimeSpan.FromSeconds(10)));
        JsonElement line = JsonDocument.Parse(File.ReadAllLines(path).Single()).RootElement;
        Assert.Equal("/v1/apps/support/chat", line.GetProperty("route").GetString());
        Assert.Equal(200, line.GetProperty("status").GetInt32());
        string prompt = line.GetProperty("prompts")[0].GetString()!;
        Assert.DoesNotContain("jane.doe@example.com", prompt);
        Assert.Contains("how do I report a bug?", prompt);
    }

    [Fact]
    public async Task A_missing_knowledge_base_is_a_503_and_the_model_routes_still_work()
    {
        await using RunningServer server = await RunningServer.StartAsync(_model.Path, new ServerOptions { SupportFaq = Path.Combine(_folder, "absent.jsonl") });
        HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/apps/support/chat", """{"message":"hello"}""");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("support_unavailable", (await response.ReadErrorAsync()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/v1/models")).StatusCode);
    }
}
