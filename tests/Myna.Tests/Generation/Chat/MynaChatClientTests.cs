using Microsoft.Extensions.AI;
using Myna.Generation;
using Myna.Generation.Chat;

namespace Myna.Tests.Generation.Chat;

public class MynaChatClientTests(TinyModelDirectory directory) : IClassFixture<TinyModelDirectory>
{
    [Fact]
    public async Task AnswersThroughTheAbstractionWithUsageAndFinishReason()
    {
        using IChatClient client = new MynaChatClient(GptLanguageModel.FromPretrained(directory.Path), "tiny");
        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], new ChatOptions { MaxOutputTokens = 8, Temperature = 0 });
        Assert.Equal(ChatRole.Assistant, response.Messages[0].Role);
        Assert.Equal("tiny", response.ModelId);
        Assert.NotNull(response.Usage);
        Assert.True(response.Usage!.OutputTokenCount is > 0 and <= 8);
        Assert.NotNull(response.FinishReason);
        Assert.Equal("tiny", client.GetService<ChatClientMetadata>()!.DefaultModelId);
    }

    [Fact]
    public async Task StreamingGivesTheSameTextAsTheWholeResponse()
    {
        using IChatClient client = new MynaChatClient(GptLanguageModel.FromPretrained(directory.Path));
        var options = new ChatOptions { MaxOutputTokens = 12, Temperature = 0.9f, Seed = 3 };
        ChatMessage[] messages = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Tell me something.")];
        ChatResponse whole = await client.GetResponseAsync(messages, options);
        var streamed = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (ChatResponseUpdate update in client.GetStreamingResponseAsync(messages, options))
        {
            streamed.Append(update.Text);
            finish ??= update.FinishReason;
        }
        Assert.Equal(whole.Text, streamed.ToString().Trim());
        Assert.NotNull(finish);
    }
}
