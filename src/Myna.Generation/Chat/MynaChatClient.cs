using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Myna.Generation.OpenAi;

namespace Myna.Generation.Chat;

/// <summary>
/// Microsoft.Extensions.AI <see cref="IChatClient"/> over a Myna model, so Myna drops into any .NET app written against
/// that abstraction. Messages are rendered with <see cref="ChatTemplate"/>; ChatOptions become OpenAI's parameters and
/// map to <see cref="GenerationOptions"/> through <see cref="OpenAiRequestMapping"/>, as the server's requests do
/// (Temperature 0 means greedy).
/// </summary>
/// <remarks>
/// Concurrent calls are batched by the model's <see cref="GenerationScheduler"/>: no call waits for another to finish.
/// What a base model cannot do is refused rather than ignored: tools and a JSON response format throw
/// <see cref="NotSupportedException"/> naming the option.
/// </remarks>
/// <param name="model">The model.</param>
/// <param name="modelId">The id responses report; default: the model's <see cref="GptLanguageModel.Name"/>.</param>
public sealed class MynaChatClient(GptLanguageModel model, string? modelId = null) : IChatClient
{
    private readonly string _modelId = modelId ?? model.Name ?? "myna";

    /// <summary>Sampling temperature when ChatOptions sets none: base models loop under greedy decoding, and 0.8 keeps replies on topic.</summary>
    public const float DefaultTemperature = 0.8f;

    /// <summary>Reply length when ChatOptions sets none: a paragraph.</summary>
    public const int DefaultMaxOutputTokens = 200;

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        (int[] prompt, GenerationOptions generation) = Prepare(messages, options);
        GeneratedSequence result = (await model.GenerateDetailedAsync([prompt], generation, cancellationToken).ConfigureAwait(false))[0];
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, result.Text.Trim()))
        {
            ModelId = _modelId,
            FinishReason = ToChatFinishReason(result.FinishReason),
            Usage = new UsageDetails { InputTokenCount = prompt.Length, OutputTokenCount = result.NewIds.Length, TotalTokenCount = prompt.Length + result.NewIds.Length },
            CreatedAt = DateTimeOffset.UtcNow,
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        (int[] prompt, GenerationOptions generation) = Prepare(messages, options);
        string responseId = Guid.NewGuid().ToString("N");
        bool started = false;
        await foreach (GenerationChunk chunk in model.GenerateStreamAsync(prompt, generation, cancellationToken).ConfigureAwait(false))
        {
            // The template puts a space after "Assistant:"; the reply starts after it.
            string text = started ? chunk.Text : chunk.Text.TrimStart();
            started |= text.Length > 0;
            var update = new ChatResponseUpdate(ChatRole.Assistant, text) { ModelId = _modelId, ResponseId = responseId };
            if (chunk.FinishReason is { } reason)
                update.FinishReason = ToChatFinishReason(reason);
            if (text.Length > 0 || update.FinishReason is not null) yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("myna", null, _modelId)
        : serviceType.IsInstanceOfType(this) ? this
        : serviceType.IsInstanceOfType(model) ? model
        : null;

    /// <inheritdoc />
    public void Dispose()
    {
        // Nothing to release: the model and its scheduler outlive the client.
    }

    /// <summary>Options a base language model cannot honour: silently ignoring them would return text the caller cannot parse or act on.</summary>
    private static void RefuseUnsupported(ChatOptions? options)
    {
        if (options is null) return;
        if (options.Tools is { Count: > 0 })
            throw new NotSupportedException($"ChatOptions.Tools: {options.Tools.Count} tool(s) given, but Myna's GPT-2 models have no tool calling; leave Tools empty.");
        if (options.ToolMode is RequiredChatToolMode)
            throw new NotSupportedException("ChatOptions.ToolMode: a tool call is required, but Myna's GPT-2 models have no tool calling.");
        if (options.ResponseFormat is ChatResponseFormatJson)
            throw new NotSupportedException("ChatOptions.ResponseFormat: JSON output is not supported (no constrained decoding); use ChatResponseFormat.Text or leave it unset.");
    }

    private static ChatFinishReason ToChatFinishReason(FinishReason reason) => reason switch
    {
        FinishReason.Length or FinishReason.ContextFull => ChatFinishReason.Length,
        FinishReason.ContentFilter => ChatFinishReason.ContentFilter,
        _ => ChatFinishReason.Stop,
    };

    private (int[] Prompt, GenerationOptions Options) Prepare(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        RefuseUnsupported(options);
        var tokenizer = model.Tokenizer ?? throw new InvalidOperationException("the model has no tokenizer; chat needs one.");
        var turns = messages.Select(m => new ChatTemplate.Turn(
            m.Role == ChatRole.System ? ChatSpeaker.System : m.Role == ChatRole.Assistant ? ChatSpeaker.Assistant : ChatSpeaker.User,
            m.Text)).ToList();
        if (turns.Count == 0) throw new ArgumentException("at least one message is needed.", nameof(messages));

        int maxNew = options?.MaxOutputTokens ?? DefaultMaxOutputTokens;
        var parameters = new OpenAiSamplingParameters
        {
            MaxTokens = maxNew,
            Temperature = options?.Temperature ?? DefaultTemperature,
            TopP = options?.TopP,
            TopK = options?.TopK,
            PresencePenalty = options?.PresencePenalty ?? 0,
            FrequencyPenalty = options?.FrequencyPenalty ?? 0,
            Stop = [.. options?.StopSequences ?? []],
            Seed = options?.Seed,
        };
        // The length is set, so the prompt's length does not enter the options.
        GenerationOptions generation = OpenAiRequestMapping.ToGenerationOptions(parameters, promptTokens: 0, model.Config.ContextLength, ChatTemplate.StopSequences);
        generation.Validate();
        int room = Math.Max(1, model.Config.ContextLength - maxNew);
        int[] prompt = ChatTemplate.Encode(turns, text => tokenizer.Encode(text), room);
        return (prompt, generation);
    }
}
