using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Myna.Apps.Translation;
using Myna.Models.Checkpoints;
using Myna.Server.Errors;
using Myna.Server.Hosting;
using Myna.Server.OpenAi;
using Myna.Text.Privacy;
using Myna.Text.Tokenization;

namespace Myna.Server.Endpoints;

/// <summary>
/// <c>POST /v1/apps/translate</c> <c>{text, source?, target?}</c> → <c>{translation, source, target}</c>: English →
/// Simplified Chinese with the fine-tuned model (<see cref="Translator"/>), behind the same API keys, rate limits, audit
/// log and error bodies as the OpenAI routes (middleware every <c>/v1</c> route passes). Any other language pair is a 400.
/// </summary>
public static class TranslateApi
{
    /// <summary>The route.</summary>
    public const string Route = "/v1/apps/translate";

    /// <summary>Maps the translation route. The model is loaded at the first request, so a server without it still serves the rest.</summary>
    public static IEndpointRouteBuilder MapTranslate(this IEndpointRouteBuilder routes)
    {
        ServerOptions options = routes.ServiceProvider.GetRequiredService<ServerOptions>();
        var translator = new LazyTranslator(options.TranslationModel);
        RouteGroupBuilder group = routes.MapGroup(Route);
        group.MapPost("", (HttpContext context) => TranslateAsync(context, translator));
        return routes;
    }

    private static async Task TranslateAsync(HttpContext context, LazyTranslator lazy)
    {
        JsonRequest body = await JsonRequest.ReadAsync(context.Request).ConfigureAwait(false);
        string text = body.String("text") ?? throw OpenAiException.InvalidParameter("text", "'text' is required.", "missing_required_parameter");
        string? source = body.String("source"), target = body.String("target");
        if (TranslationLanguages.Refusal(source, target) is { } refusal)
            throw OpenAiException.InvalidParameter(TranslationLanguages.Refusal(source, null) is null ? "target" : "source", refusal, "unsupported_language_pair");
        if (string.IsNullOrWhiteSpace(text)) throw OpenAiException.InvalidParameter("text", "'text' is empty.");
        Translator translator = lazy.Get();
        string translation;
        try
        {
            translation = await translator.TranslateAsync(text, context.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException invalid)
        {
            throw OpenAiException.InvalidParameter("text", invalid.Message);
        }
        if (RequestRecord.Current is { } record)
        {
            record.Model = "translate";
            if (record.KeepContent)
            {
                // The audit log redacts too; the text is redacted here as well so no copy of it is ever kept unredacted.
                record.PromptTexts = [new PiiRedactor().Redact(text).Text];
                record.OutputTexts = [translation];
            }
        }
        ResponseHeaders.Set(context, "translate-" + Guid.NewGuid().ToString("N"), body.IgnoredFields);
        await JsonBody.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("translation", translation);
            writer.WriteString("source", TranslationLanguages.Source);
            writer.WriteString("target", TranslationLanguages.Target);
            writer.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>The translator, loaded at the first request that needs it; a missing or broken model is a 503 each time until it is fixed.</summary>
    private sealed class LazyTranslator(string? modelDirectory)
    {
        private readonly Lock _gate = new();
        private Translator? _translator;

        public Translator Get()
        {
            lock (_gate)
            {
                if (_translator is not null) return _translator;
                try
                {
                    _translator = Translator.FromDirectory(modelDirectory);
                    return _translator;
                }
                catch (Exception error) when (error is IOException or InvalidDataException or ModelFormatException or SafeTensorsFormatException or TokenizerFormatException or ArgumentException)
                {
                    throw new OpenAiException(StatusCodes.Status503ServiceUnavailable,
                        $"Translation is unavailable: {error.Message}", "server_error", null, "translate_unavailable");
                }
            }
        }
    }
}
