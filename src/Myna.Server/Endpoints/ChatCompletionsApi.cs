using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Myna.Generation;
using Myna.Generation.Chat;
using Myna.Generation.OpenAi;
using Myna.Server.Errors;
using Myna.Server.Hosting;
using Myna.Server.OpenAi;
using Myna.Server.Streaming;

namespace Myna.Server.Endpoints;

/// <summary><c>POST /v1/chat/completions</c>: messages rendered by <see cref="ChatTemplate"/>, answered whole or streamed.</summary>
public static class ChatCompletionsApi
{
    /// <summary>Maps the chat completions route.</summary>
    public static IEndpointRouteBuilder MapChatCompletions(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/chat/completions", HandleAsync);
        return routes;
    }

    private static async Task HandleAsync(HttpContext context, ServedModel served)
    {
        JsonRequest body = await JsonRequest.ReadAsync(context.Request).ConfigureAwait(false);
        ChatCompletionRequest request = ChatCompletionRequest.Read(body, served);
        served.Require(request.Model);
        int[] prompt = EncodePrompt(request, served);
        GenerationOptions options = served.WithOutputFilters(
            OpenAiRequestMapping.ToGenerationOptions(request.Sampling, prompt.Length, served.ContextLength, ChatTemplate.StopSequences));
        string id = "chatcmpl-" + Guid.NewGuid().ToString("N");
        IReadOnlyList<GenerationRequest> running = GenerationRun.Submit(served, [prompt], options, request.Stream, context.RequestAborted);
        ResponseHeaders.Set(context, id, request.IgnoredFields);
        var answer = new Answer(id, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), served, request, prompt.Length);
        if (request.Stream) await answer.StreamAsync(context, running).ConfigureAwait(false);
        else await answer.WriteWholeAsync(context, await GenerationRun.CompleteAllAsync(running, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>The transcript's ids; 400 context_length_exceeded when it and the requested completion do not fit (unless truncation is auto).</summary>
    private static int[] EncodePrompt(ChatCompletionRequest request, ServedModel served)
    {
        int context = served.ContextLength, reserve = request.Sampling.MaxTokens ?? 1;
        Func<string, int[]> encode = text => served.Tokenizer.Encode(text);
        int[] prompt = encode(ChatTemplate.Format(request.Turns));
        if (request.TruncateOldTurns && prompt.Length + reserve > context && reserve < context)
        {
            try
            {
                prompt = ChatTemplate.Encode(request.Turns, encode, context - reserve);
            }
            catch (ArgumentException)
            {
                // Even the last turn alone is too long: the error below says by how much.
            }
        }
        if (prompt.Length + reserve > context) throw OpenAiException.ContextLengthExceeded("messages", prompt.Length, reserve, context);
        return prompt;
    }

    /// <summary>One answer's identity and shape, written whole or as chunks.</summary>
    private sealed record Answer(string Id, long Created, ServedModel Served, ChatCompletionRequest Request, int PromptTokens)
    {
        private int Copies => OpenAiRequestMapping.Copies(Request.Sampling);

        public Task WriteWholeAsync(HttpContext context, IReadOnlyList<GeneratedSequence> results)
        {
            int completionTokens = results.Sum(r => r.NewIds.Length) * Copies;
            return JsonBody.WriteAsync(context, StatusCodes.Status200OK, writer =>
            {
                WriteHeader(writer, "chat.completion");
                writer.WriteStartArray("choices");
                for (int k = 0; k < results.Count; k++)
                {
                    GeneratedSequence result = results[k];
                    for (int copy = 0; copy < Copies; copy++)
                    {
                        writer.WriteStartObject();
                        writer.WriteNumber("index", k * Copies + copy);
                        writer.WriteStartObject("message");
                        writer.WriteString("role", "assistant");
                        // The template ends with "Assistant:"; the reply is what follows, without the space (as MynaChatClient answers).
                        writer.WriteString("content", result.Text.Trim());
                        writer.WriteNull("refusal");
                        writer.WriteEndObject();
                        if (Request.Sampling.LogProbs) TokenLogProbs.WriteChat(writer, Served.Tokenizer, result.NewIds, result.LogProbs, result.TopLogProbs);
                        else writer.WriteNull("logprobs");
                        writer.WriteString("finish_reason", OpenAiRequestMapping.FinishReasonName(result.FinishReason));
                        writer.WriteEndObject();
                    }
                }
                writer.WriteEndArray();
                WriteUsage(writer, completionTokens);
                writer.WriteEndObject();
            });
        }

        public async Task StreamAsync(HttpContext context, IReadOnlyList<GenerationRequest> running)
        {
            int choices = Request.Sampling.N;
            var started = new bool[choices];
            var held = Enumerable.Repeat("", choices).ToArray();
            int completionTokens = 0;
            await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
            try
            {
                // 1. Every choice opens with the assistant role (and empty content), as OpenAI streams it.
                for (int index = 0; index < choices; index++)
                    await ServerSentEvents.WriteAsync(context, Chunk(index, role: true, content: "", logProb: null, finish: null)).ConfigureAwait(false);
                await GenerationRun.KeepAliveWhileQueuedAsync(running, Served.Options.KeepAliveInterval, () => ServerSentEvents.WriteKeepAliveAsync(context), context.RequestAborted)
                    .ConfigureAwait(false);
                // 2. Tokens as the scheduler makes them; a choice's last chunk carries its finish_reason.
                await foreach (GenerationChunk chunk in GenerationRun.ReadAllAsync(running, context.RequestAborted).ConfigureAwait(false))
                {
                    for (int copy = 0; copy < Copies; copy++)
                    {
                        int index = chunk.Sequence * Copies + copy;
                        completionTokens++;
                        // The whole answer is trimmed at both ends; the stream agrees: leading white space is dropped,
                        // trailing white space is held back until more text follows it, and dropped if none does.
                        string text = (started[index] ? held[index] + chunk.Text : chunk.Text.TrimStart());
                        string kept = text.TrimEnd();
                        held[index] = text[kept.Length..];
                        text = kept;
                        started[index] |= text.Length > 0;
                        if (text.Length > 0 || Request.Sampling.LogProbs)
                            await ServerSentEvents.WriteAsync(context, Chunk(index, role: false, text, Request.Sampling.LogProbs ? chunk : null, finish: null)).ConfigureAwait(false);
                        if (chunk.FinishReason is { } reason)
                            await ServerSentEvents.WriteAsync(context, Chunk(index, role: false, content: null, logProb: null, OpenAiRequestMapping.FinishReasonName(reason))).ConfigureAwait(false);
                    }
                }
                // 3. With include_usage, one chunk without choices carries the usage; then [DONE].
                if (Request.IncludeUsage)
                {
                    await ServerSentEvents.WriteAsync(context, JsonBody.Build(writer =>
                    {
                        WriteHeader(writer, "chat.completion.chunk");
                        writer.WriteStartArray("choices");
                        writer.WriteEndArray();
                        WriteUsage(writer, completionTokens);
                        writer.WriteEndObject();
                    })).ConfigureAwait(false);
                }
                await ServerSentEvents.WriteDoneAsync(context).ConfigureAwait(false);
            }
            catch (Exception error) when (!context.RequestAborted.IsCancellationRequested)
            {
                // The stream began with 200, so a late failure is reported in-band (the SDKs raise it) before closing.
                await ServerSentEvents.WriteAsync(context, LateError.Describe(error)).ConfigureAwait(false);
            }
        }

        private ReadOnlyMemory<byte> Chunk(int index, bool role, string? content, GenerationChunk? logProb, string? finish) => JsonBody.Build(writer =>
        {
            WriteHeader(writer, "chat.completion.chunk");
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", index);
            writer.WriteStartObject("delta");
            if (role) writer.WriteString("role", "assistant");
            if (content is not null) writer.WriteString("content", content);
            writer.WriteEndObject();
            if (logProb is not null)
                TokenLogProbs.WriteChat(writer, Served.Tokenizer, [logProb.TokenId], [logProb.LogProb], logProb.TopLogProbs is null ? null : [logProb.TopLogProbs]);
            else writer.WriteNull("logprobs");
            if (finish is null) writer.WriteNull("finish_reason");
            else writer.WriteString("finish_reason", finish);
            writer.WriteEndObject();
            writer.WriteEndArray();
            // Only the include_usage chunk carries usage; every other chunk says null, as OpenAI's do.
            writer.WriteNull("usage");
            writer.WriteEndObject();
        });

        private void WriteHeader(Utf8JsonWriter writer, string kind)
        {
            writer.WriteStartObject();
            writer.WriteString("id", Id);
            writer.WriteString("object", kind);
            writer.WriteNumber("created", Created);
            writer.WriteString("model", Served.Id);
        }

        private void WriteUsage(Utf8JsonWriter writer, int completionTokens)
        {
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", PromptTokens);
            writer.WriteNumber("completion_tokens", completionTokens);
            writer.WriteNumber("total_tokens", PromptTokens + completionTokens);
            writer.WriteEndObject();
        }
    }
}
