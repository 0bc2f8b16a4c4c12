using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Myna.Apps.Support;
using Myna.Server.Errors;
using Myna.Server.Hosting;
using Myna.Server.OpenAi;
using Myna.Text.Privacy;

namespace Myna.Server.Endpoints;

/// <summary>
/// <c>POST /v1/apps/support/chat</c> <c>{session_id?, message}</c> → <c>{answer, lang, sources:[{id, question, score}],
/// confidence, handoff}</c>: the FAQ assistant (<see cref="SupportAssistant"/>), behind the same API keys, rate limits,
/// audit log and error bodies as the OpenAI routes (they are middleware every <c>/v1</c> route passes).
/// </summary>
public static class SupportApi
{
    /// <summary>The route group.</summary>
    public const string GroupPrefix = "/v1/apps/support";

    /// <summary>The longest session id accepted: a UUID is 36 characters; ids are keys of a bounded map, not payload.</summary>
    public const int MaxSessionIdLength = 128;

    /// <summary>Maps the support routes. The knowledge base is read at the first request, so a server without it still serves models.</summary>
    public static IEndpointRouteBuilder MapSupport(this IEndpointRouteBuilder routes)
    {
        ServerOptions options = routes.ServiceProvider.GetRequiredService<ServerOptions>();
        var assistant = new LazyAssistant(options.SupportFaq);
        routes.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopped.Register(assistant.Dispose);
        RouteGroupBuilder group = routes.MapGroup(GroupPrefix);
        group.MapPost("/chat", (HttpContext context) => ChatAsync(context, assistant));
        return routes;
    }

    private static async Task ChatAsync(HttpContext context, LazyAssistant lazy)
    {
        JsonRequest body = await JsonRequest.ReadAsync(context.Request).ConfigureAwait(false);
        string message = body.String("message") ?? throw OpenAiException.InvalidParameter("message", "'message' is required.", "missing_required_parameter");
        string? sessionId = body.String("session_id");
        if (sessionId is not null && (sessionId.Length == 0 || sessionId.Length > MaxSessionIdLength))
            throw OpenAiException.InvalidParameter("session_id", $"'session_id' must be 1 to {MaxSessionIdLength} characters long.");
        SupportAssistant assistant = lazy.Get();
        SupportAnswer answer;
        try
        {
            answer = assistant.Ask(message, sessionId);
        }
        catch (ArgumentException invalid)
        {
            throw OpenAiException.InvalidParameter("message", invalid.Message);
        }
        if (RequestRecord.Current is { } record)
        {
            record.Model = "support";
            if (record.KeepContent)
            {
                // The audit log redacts too; the message is redacted here as well so no copy of it is ever kept unredacted.
                record.PromptTexts = [new PiiRedactor().Redact(message).Text];
                record.OutputTexts = [answer.Answer];
            }
        }
        ResponseHeaders.Set(context, "support-" + Guid.NewGuid().ToString("N"), body.IgnoredFields);
        await JsonBody.WriteAsync(context, StatusCodes.Status200OK, writer => SupportAnswerJson.Write(writer, answer, assistant.Options.SourcesShown))
            .ConfigureAwait(false);
    }

    /// <summary>The assistant, built at the first request that needs it; a missing or broken knowledge base is a 503 each time until it is fixed.</summary>
    private sealed class LazyAssistant(string? faqPath) : IDisposable
    {
        private readonly Lock _gate = new();
        private SupportAssistant? _assistant;

        public SupportAssistant Get()
        {
            lock (_gate)
            {
                if (_assistant is not null) return _assistant;
                try
                {
                    string path = SupportDataFiles.Resolve(faqPath, SupportDataFiles.FaqPath, "start the server from the repository (or set ServerOptions.SupportFaq)");
                    _assistant = new SupportAssistant(FaqKnowledgeBase.Load(path));
                    return _assistant;
                }
                catch (Exception error) when (error is IOException or InvalidDataException)
                {
                    throw new OpenAiException(StatusCodes.Status503ServiceUnavailable,
                        $"The support assistant is unavailable: {error.Message}", "server_error", null, "support_unavailable");
                }
            }
        }

        public void Dispose()
        {
            lock (_gate) _assistant?.Dispose();
        }
    }
}
