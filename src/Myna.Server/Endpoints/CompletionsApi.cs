using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Myna.Generation;
using Myna.Generation.OpenAi;
using Myna.Server.Errors;
using Myna.Server.Hosting;
using Myna.Server.OpenAi;
using Myna.Server.Streaming;

namespace Myna.Server.Endpoints;

/// <summary><c>POST /v1/completions</c>: continue one or more prompts (text or token ids), answered whole or streamed.</summary>
public static class CompletionsApi
{
    /// <summary>Maps the completions route.</summary>
    public static IEndpointRouteBuilder MapCompletions(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/completions", HandleAsync);
        return routes;
    }

    private static async Task HandleAsync(HttpContext context, ServedModel served)
    {
        JsonRequest body = await JsonRequest.ReadAsync(context.Request).ConfigureAwait(false);
        CompletionRequest request = CompletionRequest.Read(body, served);
        served.Require(request.Model);
        int reserve = request.Sampling.MaxTokens ?? 1;
        for (int p = 0; p < request.Prompts.Count; p++)
        {
            if (request.Prompts[p].Length + reserve > served.ContextLength)
                throw OpenAiException.ContextLengthExceeded(request.Prompts.Count == 1 ? "prompt" : $"prompt[{p}]", request.Prompts[p].Length, reserve, served.ContextLength);
        }
        // Every prompt gets the same budget rule; with max_tokens set (the default 16 included) it is that number.
        GenerationOptions options = served.WithOutputFilters(OpenAiRequestMapping.ToGenerationOptions(request.Sampling, request.Prompts.Max(p => p.Length), served.ContextLength));
        string id = "cmpl-" + Guid.NewGuid().ToString("N");
        IReadOnlyList<GenerationRequest> running = GenerationRun.Submit(served, request.Prompts, options, request.Stream, context.RequestAborted);
        ResponseHeaders.Set(context, id, request.IgnoredFields);
        var answer = new Answer(id, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), served, request);
        if (request.Stream) await answer.StreamAsync(context, running).ConfigureAwait(false);
        else await answer.WriteWholeAsync(context, await GenerationRun.CompleteAllAsync(running, context.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private sealed record Answer(string Id, long Created, ServedModel Served, CompletionRequest Request)
    {
        private int Copies => OpenAiRequestMapping.Copies(Request.Sampling);

        private int PromptTokens => Request.Prompts.Sum(p => p.Length);

        private bool LogProbs => Request.Sampling.LogProbs;

        /// <summary>The prompt of choice <paramref name="index"/>: choices are grouped by prompt, n per prompt.</summary>
        private int PromptOf(int index) => index / Request.Sampling.N;

        private string PromptText(int index) => Served.Tokenizer.Decode(Request.Prompts[PromptOf(index)]);

        public Task WriteWholeAsync(HttpContext context, IReadOnlyList<GeneratedSequence> results)
        {
            int completionTokens = results.Sum(r => r.NewIds.Length) * Copies;
            return JsonBody.WriteAsync(context, StatusCodes.Status200OK, writer =>
            {
                WriteHeader(writer);
                writer.WriteStartArray("choices");
                for (int k = 0; k < results.Count; k++)
                {
                    GeneratedSequence result = results[k];
                    for (int copy = 0; copy < Copies; copy++)
                    {
                        int index = k * Copies + copy;
                        string prefix = Request.Echo ? PromptText(index) : "";
                        string finish = OpenAiRequestMapping.FinishReasonName(result.FinishReason);
                        WriteChoice(writer, index, prefix + result.Text, finish, !LogProbs ? null : Request.Echo
                            ? w => TokenLogProbs.WriteCompletion(w, Served.Tokenizer, [.. result.PromptIds, .. result.NewIds],
                                [.. result.PromptLogProbs!, .. result.LogProbs!], [.. result.PromptTopLogProbs!, .. result.TopLogProbs ?? []], 0)
                            : w => TokenLogProbs.WriteCompletion(w, Served.Tokenizer, result.NewIds, result.LogProbs, result.TopLogProbs, 0));
                    }
                }
                writer.WriteEndArray();
                WriteUsage(writer, completionTokens);
                writer.WriteEndObject();
            });
        }

        public async Task StreamAsync(HttpContext context, IReadOnlyList<GenerationRequest> running)
        {
            int completionTokens = 0;
            var textSoFar = new int[Request.Prompts.Count * Request.Sampling.N];
            var echoed = new bool[textSoFar.Length];
            await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
            try
            {
                await GenerationRun.KeepAliveWhileQueuedAsync(running, Served.Options.KeepAliveInterval, () => ServerSentEvents.WriteKeepAliveAsync(context), context.RequestAborted)
                    .ConfigureAwait(false);
                await foreach (GenerationChunk chunk in GenerationRun.ReadAllAsync(running, context.RequestAborted).ConfigureAwait(false))
                {
                    for (int copy = 0; copy < Copies; copy++)
                    {
                        int index = chunk.Sequence * Copies + copy;
                        // 1. With echo, a choice opens with its prompt (and, with logprobs, the prompt's scores: known once it was fed).
                        if (Request.Echo && !echoed[index])
                        {
                            echoed[index] = true;
                            GenerationRequest prompt = running[PromptOf(index)];
                            string text = PromptText(index);
                            await ServerSentEvents.WriteAsync(context, Chunk(index, text, null, !LogProbs ? null
                                : w => TokenLogProbs.WriteCompletion(w, Served.Tokenizer, prompt.Prompt, prompt.PromptLogProbs, prompt.PromptTopLogProbs, 0))).ConfigureAwait(false);
                            textSoFar[index] = text.Length;
                        }
                        // 2. Tokens as the scheduler makes them; a choice's last chunk carries its finish_reason.
                        completionTokens++;
                        string? finish = chunk.FinishReason is { } reason ? OpenAiRequestMapping.FinishReasonName(reason) : null;
                        int offset = textSoFar[index];
                        if (chunk.Text.Length > 0 || finish is not null || LogProbs)
                        {
                            await ServerSentEvents.WriteAsync(context, Chunk(index, chunk.Text, finish, !LogProbs ? null
                                : w => TokenLogProbs.WriteCompletion(w, Served.Tokenizer, [chunk.TokenId], [chunk.LogProb],
                                    chunk.TopLogProbs is null ? null : [chunk.TopLogProbs], offset))).ConfigureAwait(false);
                        }
                        textSoFar[index] += chunk.Text.Length;
                    }
                }
                // A prompt that was only scored (max_tokens 0) made no chunk: its echo is the whole choice.
                for (int index = 0; index < echoed.Length && Request.Echo; index++)
                {
                    if (echoed[index]) continue;
                    GenerationRequest prompt = running[PromptOf(index)];
                    await ServerSentEvents.WriteAsync(context, Chunk(index, PromptText(index), OpenAiRequestMapping.FinishReasonName(FinishReason.Length), !LogProbs ? null
                        : w => TokenLogProbs.WriteCompletion(w, Served.Tokenizer, prompt.Prompt, prompt.PromptLogProbs, prompt.PromptTopLogProbs, 0))).ConfigureAwait(false);
                }
                // 3. With include_usage, one chunk without choices carries the usage; then [DONE].
                if (Request.IncludeUsage)
                {
                    await ServerSentEvents.WriteAsync(context, JsonBody.Build(writer =>
                    {
                        WriteHeader(writer);
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
                await ServerSentEvents.WriteAsync(context, LateError.Describe(error)).ConfigureAwait(false);
            }
        }

        private ReadOnlyMemory<byte> Chunk(int index, string text, string? finish, Action<Utf8JsonWriter>? logProbs) => JsonBody.Build(writer =>
        {
            WriteHeader(writer);
            writer.WriteStartArray("choices");
            WriteChoice(writer, index, text, finish, logProbs);
            writer.WriteEndArray();
            writer.WriteNull("usage");
            writer.WriteEndObject();
        });

        /// <summary>One choice; <paramref name="logProbs"/> writes its <c>logprobs</c> object (null: <c>"logprobs":null</c>).</summary>
        private static void WriteChoice(Utf8JsonWriter writer, int index, string text, string? finish, Action<Utf8JsonWriter>? logProbs)
        {
            writer.WriteStartObject();
            writer.WriteString("text", text);
            writer.WriteNumber("index", index);
            if (logProbs is not null) logProbs(writer);
            else writer.WriteNull("logprobs");
            if (finish is null) writer.WriteNull("finish_reason");
            else writer.WriteString("finish_reason", finish);
            writer.WriteEndObject();
        }

        private void WriteHeader(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString("id", Id);
            writer.WriteString("object", "text_completion");
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
