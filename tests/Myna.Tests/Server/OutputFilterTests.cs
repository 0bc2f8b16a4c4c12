using System.Net;
using System.Text.Json;
using Myna.Server;
using Myna.Tests.Generation;
using Myna.Text.Privacy;

namespace Myna.Tests.Server;

/// <summary>
/// <c>--redact-output</c> and <c>--block-list</c> through HTTP, over a model that writes a fixed script containing an
/// e-mail address one character (token) at a time.
/// </summary>
public sealed class OutputFilterTests
{
    private const string Script = "Mail: kq@xz.de";

    [Fact]
    public async Task Redact_output_hides_an_address_split_over_tokens_streamed_and_whole()
    {
        using var model = ScriptedModelDirectory.Create(Script);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { RedactOutput = true });
        const string body = """{"prompt":"M","max_tokens":40,"temperature":0""";
        string expected = "ail: " + PiiType.Email.Placeholder();

        using JsonDocument whole = JsonDocument.Parse(await (await server.Http.PostJsonAsync("/v1/completions", body + "}")).Content.ReadAsStringAsync());
        JsonElement choice = whole.RootElement.GetProperty("choices")[0];
        Assert.Equal(expected, choice.GetProperty("text").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());

        List<JsonElement> events = await StreamingTests.ReadEventsAsync(await server.Http.PostJsonAsync("/v1/completions", body + ""","stream":true}"""));
        string[] pieces = [.. events.Select(e => e.GetProperty("choices")[0].GetProperty("text").GetString()!)];
        Assert.Equal(expected, string.Concat(pieces));
        Assert.All(pieces, p => Assert.DoesNotContain("kq", p));
        Assert.Contains("ail: ", pieces[0..^1]); // text before the address was not held to the end

        // Unfiltered, the same model writes the address.
        await using RunningServer open = await RunningServer.StartAsync(model.Path);
        using JsonDocument plain = JsonDocument.Parse(await (await open.Http.PostJsonAsync("/v1/completions", body + "}")).Content.ReadAsStringAsync());
        Assert.Equal(Script[1..], plain.RootElement.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task A_blocked_phrase_ends_with_content_filter_and_is_never_sent()
    {
        using var model = ScriptedModelDirectory.Create(Script);
        await using RunningServer server = await RunningServer.StartAsync(model.Path, new ServerOptions { BlockList = ["KQ@XZ"] });
        const string body = """{"prompt":"M","max_tokens":40,"temperature":0""";

        using JsonDocument whole = JsonDocument.Parse(await (await server.Http.PostJsonAsync("/v1/completions", body + "}")).Content.ReadAsStringAsync());
        JsonElement choice = whole.RootElement.GetProperty("choices")[0];
        Assert.Equal("ail: ", choice.GetProperty("text").GetString());
        Assert.Equal("content_filter", choice.GetProperty("finish_reason").GetString());

        // Chat, streamed: the reply would be the address; nothing of it is sent, and the choice ends with content_filter.
        HttpResponseMessage response = await server.Http.PostJsonAsync("/v1/chat/completions",
            """{"messages":[{"role":"user","content":"Mail?"}],"max_tokens":10,"temperature":0,"stream":true}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        List<JsonElement> events = await StreamingTests.ReadEventsAsync(response);
        Assert.All(events, e => Assert.DoesNotContain("kq", e.GetRawText()));
        Assert.Equal("content_filter", events[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }
}
