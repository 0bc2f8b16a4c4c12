using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace Myna.Tests.Server;

/// <summary>The official OpenAI .NET SDK (2.15.0), unchanged, against a real server.</summary>
public sealed class OpenAiSdkTests(TinyServerFixture fixture) : IClassFixture<TinyServerFixture>
{
    private ChatClient Chat(string model = RunningServer.ModelId) =>
        new(model, new ApiKeyCredential("no-key-needed"), new OpenAIClientOptions { Endpoint = fixture.Server.OpenAiEndpoint });

    private static readonly ChatMessage[] Conversation = [new SystemChatMessage("You are terse."), new UserChatMessage("Hello there")];

    [Fact]
    public async Task Chat_completion_whole_and_streamed_agree()
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 16 };
        ChatCompletion whole = (await Chat().CompleteChatAsync(Conversation, options)).Value;
        Assert.Equal(RunningServer.ModelId, whole.Model);
        Assert.Equal(ChatMessageRole.Assistant, whole.Role);
        Assert.True(whole.Usage.InputTokenCount > 0);
        Assert.Equal(whole.Usage.InputTokenCount + whole.Usage.OutputTokenCount, whole.Usage.TotalTokenCount);
        Assert.InRange(whole.Usage.OutputTokenCount, 1, 16);

        var streamed = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;
        await foreach (StreamingChatCompletionUpdate update in Chat().CompleteChatStreamingAsync(Conversation, options))
        {
            foreach (ChatMessageContentPart part in update.ContentUpdate) streamed.Append(part.Text);
            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }
        Assert.Equal(whole.Content[0].Text, streamed.ToString().Trim());
        Assert.Equal(whole.FinishReason, finish);
        // The SDK asks for include_usage; the usage chunk arrives before [DONE].
        Assert.NotNull(usage);
        Assert.Equal(whole.Usage.InputTokenCount, usage.InputTokenCount);
        Assert.Equal(whole.Usage.OutputTokenCount, usage.OutputTokenCount);
    }

    [Fact]
    public async Task Stop_sequences_cut_the_reply_where_they_first_appear()
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 40 };
        string full = (await Chat().CompleteChatAsync(Conversation, options)).Value.Content[0].Text;
        int at = Enumerable.Range(3, Math.Max(0, full.Length - 5)).First(i => !char.IsWhiteSpace(full[i]) && !char.IsWhiteSpace(full[i + 1]));
        string stop = full.Substring(at, 2);
        options.StopSequences.Add(stop);
        ChatCompletion cut = (await Chat().CompleteChatAsync(Conversation, options)).Value;
        Assert.Equal(full[..full.IndexOf(stop, StringComparison.Ordinal)].Trim(), cut.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, cut.FinishReason);
    }

    [Fact]
    public async Task Seeded_n_3_reproduces_and_the_choices_differ()
    {
        // The .NET SDK has no typed n for chat; its protocol method sends the body as given, through the same client.
        BinaryContent Body() => BinaryContent.Create(BinaryData.FromString(
            """{"model":"tiny","messages":[{"role":"user","content":"Tell me"}],"n":3,"seed":1234,"temperature":1.0,"max_tokens":12,"ignore_eos":true}"""));
        async Task<string[]> Texts()
        {
            ClientResult result = await Chat().CompleteChatAsync(Body(), new RequestOptions());
            using JsonDocument answer = JsonDocument.Parse(result.GetRawResponse().Content.ToString());
            return answer.RootElement.GetProperty("choices").EnumerateArray().OrderBy(c => c.GetProperty("index").GetInt32())
                .Select(c => c.GetProperty("message").GetProperty("content").GetString()!).ToArray();
        }
        string[] first = await Texts(), second = await Texts();
        Assert.Equal(3, first.Length);
        Assert.Equal(first, second);
        Assert.True(first.Distinct().Count() > 1, "three sampled choices of one seed should not all be equal");
    }

    [Fact]
    public async Task Logprobs_come_through_the_typed_api()
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 4, IncludeLogProbabilities = true };
        ChatCompletion completion = (await Chat().CompleteChatAsync(Conversation, options)).Value;
        Assert.Equal(completion.Usage.OutputTokenCount, completion.ContentTokenLogProbabilities.Count);
        Assert.All(completion.ContentTokenLogProbabilities, t => Assert.True(t.LogProbability <= 0));
    }

    [Fact]
    public async Task Top_logprobs_come_through_the_typed_api()
    {
        var options = new ChatCompletionOptions { Temperature = 0, MaxOutputTokenCount = 5, IncludeLogProbabilities = true, TopLogProbabilityCount = 5 };
        ChatCompletion completion = (await Chat().CompleteChatAsync(Conversation, options)).Value;
        Assert.NotEmpty(completion.ContentTokenLogProbabilities);
        foreach (ChatTokenLogProbabilityDetails token in completion.ContentTokenLogProbabilities)
        {
            IReadOnlyList<ChatTokenTopLogProbabilityDetails> top = token.TopLogProbabilities;
            Assert.Equal(5, top.Count);
            Assert.Equal(top.Select(t => t.LogProbability).OrderDescending(), top.Select(t => t.LogProbability));
            Assert.Equal(token.Token, top[0].Token); // greedy: the chosen token is the most likely
            Assert.Equal(token.LogProbability, top[0].LogProbability);
            Assert.NotNull(top[0].Utf8Bytes);
        }
    }

    [Fact]
    public async Task Errors_surface_as_typed_exceptions_with_the_status()
    {
        ClientResultException notFound = await Assert.ThrowsAsync<ClientResultException>(() => Chat("gpt-4o").CompleteChatAsync(Conversation));
        Assert.Equal(404, notFound.Status);
        Assert.Contains("gpt-4o", notFound.Message);

        ClientResultException badRange = await Assert.ThrowsAsync<ClientResultException>(() =>
            Chat().CompleteChatAsync(Conversation, new ChatCompletionOptions { Temperature = 3 }));
        Assert.Equal(400, badRange.Status);
        Assert.Contains("temperature", badRange.Message);

        ClientResultException topLogProbs = await Assert.ThrowsAsync<ClientResultException>(() =>
            Chat().CompleteChatAsync(Conversation, new ChatCompletionOptions { IncludeLogProbabilities = true, TopLogProbabilityCount = 21 }));
        Assert.Equal(400, topLogProbs.Status);
        Assert.Contains("top_logprobs", topLogProbs.Message);
    }
}
