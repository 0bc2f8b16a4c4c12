using Microsoft.Extensions.AI;
using Myna.Generation;
using Myna.Generation.Chat;
using OpenAI;

namespace Myna.Tests.Server;

/// <summary>Microsoft.Extensions.AI over HTTP (<c>AsIChatClient()</c>) answers as the in-process <see cref="MynaChatClient"/> does.</summary>
public sealed class ChatClientTests(TinyServerFixture fixture) : IClassFixture<TinyServerFixture>
{
    [Fact]
    public async Task Greedy_replies_over_http_equal_the_in_process_client()
    {
        IChatClient remote = new OpenAIClient(new System.ClientModel.ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = fixture.Server.OpenAiEndpoint })
            .GetChatClient(RunningServer.ModelId).AsIChatClient();
        using var local = new MynaChatClient(GptLanguageModel.FromPretrained(fixture.Directory.Path), RunningServer.ModelId);
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 24 };
        ChatMessage[][] conversations =
        [
            [new ChatMessage(ChatRole.User, "Hello")],
            [new ChatMessage(ChatRole.System, "Be brief."), new ChatMessage(ChatRole.User, "Hi"), new ChatMessage(ChatRole.Assistant, "Hello!"), new ChatMessage(ChatRole.User, "More")],
        ];
        foreach (ChatMessage[] conversation in conversations)
        {
            ChatResponse expected = await local.GetResponseAsync(conversation, options);
            ChatResponse actual = await remote.GetResponseAsync(conversation, options);
            Assert.Equal(expected.Text, actual.Text);
            Assert.Equal(expected.FinishReason, actual.FinishReason);
            Assert.Equal(expected.Usage!.InputTokenCount, actual.Usage!.InputTokenCount);
            Assert.Equal(expected.Usage.OutputTokenCount, actual.Usage.OutputTokenCount);

            string streamed = string.Concat(await remote.GetStreamingResponseAsync(conversation, options).Select(u => u.Text).ToListAsync());
            Assert.Equal(expected.Text, streamed.TrimEnd());
        }
    }
}
