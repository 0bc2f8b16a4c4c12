using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Myna.Server.Errors;
using Myna.Server.Hosting;
using Myna.Server.OpenAi;

namespace Myna.Server.Endpoints;

/// <summary>
/// <c>POST /tokenize</c> (<c>{"prompt": text}</c> → <c>{"tokens","count","max_model_len"}</c>) and
/// <c>POST /detokenize</c> (<c>{"tokens": ids}</c> → <c>{"prompt"}</c>), shaped as vLLM's, with the served model's tokenizer.
/// </summary>
public static class TokenizationApi
{
    /// <summary>Maps the tokenizer routes.</summary>
    public static IEndpointRouteBuilder MapTokenization(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/tokenize", TokenizeAsync);
        routes.MapPost("/detokenize", DetokenizeAsync);
        return routes;
    }

    private static async Task TokenizeAsync(HttpContext context, ServedModel served)
    {
        JsonRequest body = await JsonRequest.ReadAsync(context.Request).ConfigureAwait(false);
        served.Require(body.String("model"));
        string text = body.String("prompt") ?? throw OpenAiException.InvalidParameter("prompt", "'prompt' is required.", "missing_required_parameter");
        int[] ids = served.Tokenizer.Encode(text);
        ResponseHeaders.Set(context, "tok-" + Guid.NewGuid().ToString("N"), body.IgnoredFields);
        await JsonBody.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("tokens");
            foreach (int id in ids) writer.WriteNumberValue(id);
            writer.WriteEndArray();
            writer.WriteNumber("count", ids.Length);
            writer.WriteNumber("max_model_len", served.ContextLength);
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static async Task DetokenizeAsync(HttpContext context, ServedModel served)
    {
        JsonRequest body = await JsonRequest.ReadAsync(context.Request).ConfigureAwait(false);
        served.Require(body.String("model"));
        JsonElement tokens = body.Get("tokens") ?? throw OpenAiException.InvalidParameter("tokens", "'tokens' is required.", "missing_required_parameter");
        if (tokens.ValueKind != JsonValueKind.Array) throw JsonRequest.WrongType("tokens", "an array of token ids", tokens);
        int vocabulary = served.Model.Config.VocabSize;
        int[] ids = tokens.EnumerateArray().Select((t, i) => (int)JsonRequest.IntegerOf(t, $"tokens[{i}]", 0, vocabulary - 1)).ToArray();
        ResponseHeaders.Set(context, "tok-" + Guid.NewGuid().ToString("N"), body.IgnoredFields);
        await JsonBody.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("prompt", served.Tokenizer.Decode(ids));
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
