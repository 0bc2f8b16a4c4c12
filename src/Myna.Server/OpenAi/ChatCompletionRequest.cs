using System.Text;
using System.Text.Json;
using Myna.Generation;
using Myna.Generation.Chat;
using Myna.Generation.OpenAi;
using Myna.Server.Errors;
using Myna.Server.Hosting;

namespace Myna.Server.OpenAi;

/// <summary>A checked <c>POST /v1/chat/completions</c> body.</summary>
/// <param name="Model">The model named, or null.</param>
/// <param name="Turns">The messages as chat-template turns (system and developer messages frame the conversation).</param>
/// <param name="Sampling">The sampling parameters.</param>
/// <param name="Stream">Whether to answer with server-sent events.</param>
/// <param name="IncludeUsage">Whether a stream ends with a usage chunk.</param>
/// <param name="TruncateOldTurns">Extension <c>truncation: "auto"</c>: drop the oldest turns to fit the context instead of answering 400.</param>
/// <param name="IgnoredFields">Top-level fields this server did not read.</param>
internal sealed record ChatCompletionRequest(
    string? Model, IReadOnlyList<ChatTemplate.Turn> Turns, OpenAiSamplingParameters Sampling, bool Stream, bool IncludeUsage, bool TruncateOldTurns,
    IReadOnlyList<string> IgnoredFields)
{
    /// <summary>Reads and checks a chat request.</summary>
    /// <exception cref="OpenAiException">400 naming the parameter that is missing, mistyped, out of range or unsupported.</exception>
    public static ChatCompletionRequest Read(JsonRequest request, ServedModel served)
    {
        string? model = request.String("model");
        IReadOnlyList<ChatTemplate.Turn> turns = ReadMessages(request);
        const string noTools = "this server runs a base language model without tool calling";
        request.Refuse("tools", $"'tools' is not supported: {noTools}.");
        request.Refuse("functions", $"'functions' is not supported: {noTools}.");
        RefuseUnlessNone(request, "tool_choice", noTools);
        RefuseUnlessNone(request, "function_call", noTools);
        if (request.Get("response_format") is { } format)
        {
            if (format.ValueKind != JsonValueKind.Object) throw JsonRequest.WrongType("response_format", "an object", format);
            string type = format.TryGetProperty("type", out JsonElement t) ? JsonRequest.StringOf(t, "response_format.type") : "text";
            if (type != "text")
                throw OpenAiException.InvalidParameter("response_format", $"'response_format' of type '{type}' is not supported; only 'text' is.", "unsupported_parameter");
        }
        bool logProbs = request.Boolean("logprobs") ?? false;
        int topLogProbs = (int)(request.Integer("top_logprobs", 0, GenerationOptions.MaxTopLogProbs) ?? 0);
        if (topLogProbs > 0 && !logProbs)
            throw OpenAiException.InvalidParameter("top_logprobs", "'top_logprobs' needs 'logprobs': true.");
        // max_completion_tokens replaced max_tokens in the chat API; when both are sent, the new one wins.
        int? maxTokens = SamplingParametersReader.ReadLength(request, "max_completion_tokens") is { } completion
            ? completion : SamplingParametersReader.ReadLength(request, "max_tokens");
        OpenAiSamplingParameters sampling = SamplingParametersReader.Read(request, served, maxTokens, logProbs, topLogProbs);
        (bool stream, bool includeUsage) = SamplingParametersReader.ReadStreaming(request);
        string truncation = request.String("truncation") ?? "disabled";
        if (truncation is not ("auto" or "disabled"))
            throw OpenAiException.InvalidParameter("truncation", $"'truncation' must be 'auto' or 'disabled'; it is '{truncation}'.");
        return new ChatCompletionRequest(model, turns, sampling, stream, includeUsage, truncation == "auto", request.IgnoredFields);
    }

    private static void RefuseUnlessNone(JsonRequest request, string name, string why)
    {
        if (request.Get(name) is { } value && !(value.ValueKind == JsonValueKind.String && value.GetString() == "none"))
            throw OpenAiException.InvalidParameter(name, $"'{name}' is not supported: {why}.", "unsupported_parameter");
    }

    private static IReadOnlyList<ChatTemplate.Turn> ReadMessages(JsonRequest request)
    {
        JsonElement messages = request.Get("messages") ?? throw OpenAiException.InvalidParameter("messages", "'messages' is required.", "missing_required_parameter");
        if (messages.ValueKind != JsonValueKind.Array) throw JsonRequest.WrongType("messages", "an array", messages);
        var turns = new List<ChatTemplate.Turn>();
        int i = 0;
        foreach (JsonElement message in messages.EnumerateArray())
        {
            string at = $"messages[{i++}]";
            if (message.ValueKind != JsonValueKind.Object) throw JsonRequest.WrongType(at, "an object", message);
            if (!message.TryGetProperty("role", out JsonElement roleValue)) throw OpenAiException.InvalidParameter($"{at}.role", $"'{at}.role' is required.", "missing_required_parameter");
            string role = JsonRequest.StringOf(roleValue, $"{at}.role");
            ChatSpeaker speaker = role switch
            {
                "system" or "developer" => ChatSpeaker.System,
                "user" => ChatSpeaker.User,
                "assistant" => ChatSpeaker.Assistant,
                "tool" or "function" => throw OpenAiException.InvalidParameter($"{at}.role",
                    $"'{role}' messages are not supported: this server runs a base language model without tool calling.", "unsupported_parameter"),
                _ => throw OpenAiException.InvalidParameter($"{at}.role", $"'{at}.role' must be system, developer, user or assistant; it is '{role}'."),
            };
            if (message.TryGetProperty("tool_calls", out JsonElement calls) && calls.ValueKind != JsonValueKind.Null)
                throw OpenAiException.InvalidParameter($"{at}.tool_calls", "'tool_calls' are not supported: this server runs a base language model without tool calling.", "unsupported_parameter");
            turns.Add(new ChatTemplate.Turn(speaker, ReadContent(message, at)));
        }
        if (turns.Count == 0) throw OpenAiException.InvalidParameter("messages", "'messages' must hold at least one message.");
        if (turns.All(t => t.Speaker == ChatSpeaker.System))
            throw OpenAiException.InvalidParameter("messages", "'messages' must hold at least one user or assistant message.");
        return turns;
    }

    private static string ReadContent(JsonElement message, string at)
    {
        string param = $"{at}.content";
        if (!message.TryGetProperty("content", out JsonElement content) || content.ValueKind == JsonValueKind.Null)
            throw OpenAiException.InvalidParameter(param, $"'{param}' is required.", "missing_required_parameter");
        if (content.ValueKind == JsonValueKind.String) return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array) throw JsonRequest.WrongType(param, "a string or an array of text parts", content);
        var text = new StringBuilder();
        int j = 0;
        foreach (JsonElement part in content.EnumerateArray())
        {
            string partAt = $"{param}[{j++}]";
            if (part.ValueKind != JsonValueKind.Object) throw JsonRequest.WrongType(partAt, "an object", part);
            string type = part.TryGetProperty("type", out JsonElement t) ? JsonRequest.StringOf(t, $"{partAt}.type") : "";
            if (type != "text")
                throw OpenAiException.InvalidParameter($"{partAt}.type", $"content parts of type '{type}' are not supported; this model reads text parts only.", "unsupported_parameter");
            if (!part.TryGetProperty("text", out JsonElement partText)) throw OpenAiException.InvalidParameter($"{partAt}.text", $"'{partAt}.text' is required.", "missing_required_parameter");
            // Parts are joined with newlines, as vLLM renders them.
            if (j > 1) text.Append('\n');
            text.Append(JsonRequest.StringOf(partText, $"{partAt}.text"));
        }
        return text.ToString();
    }
}
