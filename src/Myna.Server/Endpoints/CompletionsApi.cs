using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Myna.Generation;
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
        GenerationOptions options = OpenAiRequestMapping.ToGenerationOptions(request.Sampling, request.Prompts.Max(p => p.Length), served.ContextLength);
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

        /// <summary>Choice <paramref name="index"/>'s prompt: choices are grouped by prompt, n per prompt.</summary>
        private string PromptText(int index) => Served.Tokenizer.Decode(Request.Prompts[index / Request.Sampling.N]);

        public Task WriteWholeAsync(HttpContext context, IReadOnlyList<GeneratedSequence> results)
        {
            int completionTokens = results.Sum(r => r.NewIds.Length) * Copies;
            return JsonBody.WriteAsync(context, StatusCodes.Status200OK, writer =>
            {
                WriteHeader(writer);
                writer.WriteStartArray("choices");
                for (int k = 0; k < results.Count; k++)
                {
                    for (int copy = 0; copy < Copies; copy++)
                    {
                        int index = k * Copies + copy;
                        string prefix = Request.Echo ? PromptText(index) : "";
                        WriteChoice(writer, index, prefix + results[k].Text, results[k].NewIds, results[k].LogProbs, prefix.Length,
                            OpenAiRequestMapping.FinishReasonName(results[k].FinishReason));
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
            await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
            try
            {
                if (Request.Echo)
                {
                    for (int index = 0; index < textSoFar.Length; index++)
                        await ServerSentEvents.WriteAsync(context, Chunk(index, PromptText(index), null, 0, null)).ConfigureAwait(false);
                }
                await GenerationRun.KeepAliveWhileQueuedAsync(running, Served.Options.KeepAliveInterval, () => ServerSentEvents.WriteKeepAliveAsync(context), context.RequestAborted)
                    .ConfigureAwait(false);
                await foreach (GenerationChunk chunk in GenerationRun.ReadAllAsync(running, context.RequestAborted).ConfigureAwait(false))
                {
                    for (int copy = 0; copy < Copies; copy++)
                    {
                        int index = chunk.Sequence * Copies + copy;
                        completionTokens++;
                        string? finish = chunk.FinishReason is { } reason ? OpenAiRequestMapping.FinishReasonName(reason) : null;
                        if (chunk.Text.Length > 0 || finish is not null || Request.Sampling.LogProbs)
                            await ServerSentEvents.WriteAsync(context, Chunk(index, chunk.Text, Request.Sampling.LogProbs ? chunk : null, textSoFar[index], finish)).ConfigureAwait(false);
                        textSoFar[index] += chunk.Text.Length;
                    }
                }
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

        private ReadOnlyMemory<byte> Chunk(int index, string text, GenerationChunk? logProb, int offset, string? finish) => JsonBody.Build(writer =>
        {
            WriteHeader(writer);
            writer.WriteStartArray("choices");
            if (logProb is null) WriteChoice(writer, index, text, null, null, offset, finish);
            else WriteChoice(writer, index, text, [logProb.TokenId], [logProb.LogProb], offset, finish);
            writer.WriteEndArray();
            writer.WriteNull("usage");
            writer.WriteEndObject();
        });

        private void WriteChoice(Utf8JsonWriter writer, int index, string text, IReadOnlyList<int>? ids, IReadOnlyList<float>? logProbs, int offset, string? finish)
        {
            writer.WriteStartObject();
            writer.WriteString("text", text);
            writer.WriteNumber("index", index);
            if (Request.Sampling.LogProbs && ids is not null) WriteLogProbs(writer, ids, logProbs, offset);
            else writer.WriteNull("logprobs");
            if (finish is null) writer.WriteNull("finish_reason");
            else writer.WriteString("finish_reason", finish);
            writer.WriteEndObject();
        }

        /// <summary>The legacy logprobs object; text offsets count each token's own decoded text (a split character counts where it completes).</summary>
        private void WriteLogProbs(Utf8JsonWriter writer, IReadOnlyList<int> ids, IReadOnlyList<float>? logProbs, int offset)
        {
            writer.WriteStartObject("logprobs");
            writer.WriteStartArray("tokens");
            foreach (int id in ids) writer.WriteStringValue(Served.Tokenizer.Decode([id]));
            writer.WriteEndArray();
            writer.WriteStartArray("token_logprobs");
            for (int i = 0; i < ids.Count; i++)
            {
                float value = logProbs is not null && i < logProbs.Count ? logProbs[i] : float.NaN;
                writer.WriteNumberValue(float.IsFinite(value) ? value : -9999.0);
            }
            writer.WriteEndArray();
            writer.WriteNull("top_logprobs");
            writer.WriteStartArray("text_offset");
            foreach (int id in ids)
            {
                writer.WriteNumberValue(offset);
                offset += Served.Tokenizer.Decode([id]).Length;
            }
            writer.WriteEndArray();
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
