using System.Text.Json;
using Myna.Tests.Generation;

namespace Myna.Tests.Server;

/// <summary>A chat reply is trimmed at both ends, whole or streamed: the stream holds trailing white space back until more text follows.</summary>
public sealed class ChatTrimTests
{
    [Fact]
    public async Task A_reply_ending_in_white_space_is_the_same_streamed_and_whole()
    {
        // After the template's "Assistant:" the model writes " ab\t" and ends: white space at both ends.
        using var model = ScriptedModelDirectory.Create("Q: ab\t");
        await using RunningServer server = await RunningServer.StartAsync(model.Path);
        const string body = """{"messages":[{"role":"user","content":"Q?"}],"max_tokens":10,"temperature":0""";

        using JsonDocument whole = JsonDocument.Parse(await (await server.Http.PostJsonAsync("/v1/chat/completions", body + "}")).Content.ReadAsStringAsync());
        Assert.Equal("ab", whole.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());

        List<JsonElement> events = await StreamingTests.ReadEventsAsync(await server.Http.PostJsonAsync("/v1/chat/completions", body + ""","stream":true}"""));
        string streamed = string.Concat(events
            .Select(e => e.GetProperty("choices"))
            .Where(c => c.GetArrayLength() > 0 && c[0].GetProperty("delta").TryGetProperty("content", out _))
            .Select(c => c[0].GetProperty("delta").GetProperty("content").GetString()));
        Assert.Equal("ab", streamed);
    }
}
