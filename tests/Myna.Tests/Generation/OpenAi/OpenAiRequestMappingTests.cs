using Microsoft.Extensions.AI;
using Myna.Generation;
using Myna.Generation.Chat;
using Myna.Generation.OpenAi;

namespace Myna.Tests.Generation.OpenAi;

/// <summary>The one OpenAI → <see cref="GenerationOptions"/> mapping: every parameter reaches its option, and MynaChatClient maps through it.</summary>
public class OpenAiRequestMappingTests(TinyModelDirectory directory) : IClassFixture<TinyModelDirectory>
{
    [Fact]
    public void Every_parameter_reaches_its_option()
    {
        var parameters = new OpenAiSamplingParameters
        {
            MaxTokens = 9, Temperature = 0.7, TopP = 0.9, N = 3, Stop = ["x"], PresencePenalty = 0.5, FrequencyPenalty = -0.5, Seed = (1L << 33) + 5,
            TopK = 12, RepetitionPenalty = 1.2, IgnoreEos = true, LogProbs = true, TopLogProbs = 4, PromptLogProbs = 2,
            LogitBias = new Dictionary<int, float> { [3] = -100f },
        };
        GenerationOptions options = OpenAiRequestMapping.ToGenerationOptions(parameters, promptTokens: 10, contextLength: 64, templateStops: ["\n"]);
        Assert.Equal(9, options.MaxNewTokens);
        Assert.True(options.DoSample);
        Assert.Equal(0.7f, options.Temperature);
        Assert.Equal(0.9f, options.TopP);
        Assert.Equal(3, options.NumReturnSequences);
        Assert.Equal(["\n", "x"], options.StopSequences);
        Assert.Equal(0.5f, options.PresencePenalty);
        Assert.Equal(-0.5f, options.FrequencyPenalty);
        Assert.Equal(5, options.Seed); // 64-bit seeds fold to the engine's 32 bits
        Assert.Equal(12, options.TopK);
        Assert.Equal(1.2f, options.RepetitionPenalty);
        Assert.False(options.StopAtEndOfText);
        Assert.True(options.ReturnLogProbs);
        Assert.Equal(4, options.TopLogProbs);
        Assert.Equal(2, options.PromptLogProbs);
        Assert.Equal(-100f, options.LogitBias[3]);

        GenerationOptions greedy = OpenAiRequestMapping.ToGenerationOptions(parameters with { Temperature = 0, MaxTokens = null }, 10, 64);
        Assert.False(greedy.DoSample);
        Assert.Equal(1, greedy.NumReturnSequences); // n copies of one decode
        Assert.Equal(3, OpenAiRequestMapping.Copies(parameters with { Temperature = 0 }));
        Assert.Equal(54, greedy.MaxNewTokens);      // the rest of the context
        Assert.Equal("content_filter", OpenAiRequestMapping.FinishReasonName(FinishReason.ContentFilter));
        Assert.Equal("length", OpenAiRequestMapping.FinishReasonName(FinishReason.ContextFull));
        Assert.Equal("stop", OpenAiRequestMapping.FinishReasonName(FinishReason.EndOfText));
    }

    [Fact]
    public async Task MynaChatClient_answers_as_the_mapping_of_its_chat_options_says()
    {
        var model = GptLanguageModel.FromPretrained(directory.Path);
        using var client = new MynaChatClient(model);
        ChatMessage[] messages = [new(ChatRole.User, "Hi there")];
        var chat = new ChatOptions { Temperature = 1.3f, TopP = 0.95f, TopK = 40, MaxOutputTokens = 10, PresencePenalty = 0.3f, Seed = 77, StopSequences = ["q"] };
        ChatResponse response = await client.GetResponseAsync(messages, chat);

        GenerationOptions mapped = OpenAiRequestMapping.ToGenerationOptions(new OpenAiSamplingParameters
        {
            MaxTokens = 10, Temperature = 1.3f, TopP = 0.95f, TopK = 40, PresencePenalty = 0.3f, Seed = 77, Stop = ["q"],
        }, 0, model.Config.ContextLength, ChatTemplate.StopSequences);
        int[] prompt = ChatTemplate.Encode([new ChatTemplate.Turn(ChatSpeaker.User, "Hi there")], text => model.Tokenizer!.Encode(text), model.Config.ContextLength - 10);
        GeneratedSequence expected = model.GenerateDetailed([prompt], mapped)[0];
        Assert.Equal(expected.Text.Trim(), response.Text);
    }
}
