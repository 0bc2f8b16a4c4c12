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

    [Fact]
    public async Task WithoutAnIdTheModelIsNamedAfterItsDirectory()
    {
        using IChatClient client = new MynaChatClient(GptLanguageModel.FromPretrained(directory.Path));
        ChatResponse response = await client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], new ChatOptions { MaxOutputTokens = 2, Temperature = 0 });
        Assert.Equal(Path.GetFileName(directory.Path), response.ModelId);
    }

    public static TheoryData<string> UnsupportedOptions => ["tools", "required tool", "json"];

    [Theory]
    [MemberData(nameof(UnsupportedOptions))]
    public async Task WhatABaseModelCannotDoIsRefusedByNameNotIgnored(string option)
    {
        using IChatClient client = new MynaChatClient(GptLanguageModel.FromPretrained(directory.Path));
        ChatOptions options = option switch
        {
            "tools" => new ChatOptions { Tools = [AIFunctionFactory.Create(() => 42, "answer")] },
            "required tool" => new ChatOptions { ToolMode = ChatToolMode.RequireAny },
            _ => new ChatOptions { ResponseFormat = ChatResponseFormat.Json },
        };
        var refused = await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync([new ChatMessage(ChatRole.User, "Hi")], options));
        Assert.Contains(option == "json" ? "ResponseFormat" : option == "tools" ? "Tools" : "ToolMode", refused.Message);
        await Assert.ThrowsAsync<NotSupportedException>(async () =>
        {
            await foreach (ChatResponseUpdate _ in client.GetStreamingResponseAsync([new ChatMessage(ChatRole.User, "Hi")], options)) { }
        });
    }
}
