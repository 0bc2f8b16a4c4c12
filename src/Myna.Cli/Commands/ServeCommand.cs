using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Myna.Generation;
using Myna.Server;
using Myna.Server.Security;

namespace Myna.Cli.Commands;

/// <summary><c>myna serve</c>: the OpenAI-compatible HTTP service (Myna.Server) over one model.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var defaults = new ServerOptions();
        var dtype = ModelLocator.CreateDtypeOption();
        var model = new Option<string>("--model", "-m") { Description = $"Model directory. Default: {ModelLocator.DefaultModelPath}." };
        Option<bool> allowNonFinite = ModelLocator.CreateAllowNonFiniteOption();
        var host = new Option<string>("--host") { Description = $"Address to bind (default {defaults.Host}). Another address needs an API key or --allow-no-auth.", DefaultValueFactory = _ => defaults.Host };
        var port = new Option<int>("--port") { Description = $"Port (default {defaults.Port}); 0 picks a free one and prints it.", DefaultValueFactory = _ => defaults.Port };
        var servedName = new Option<string>("--served-model-name") { Description = "The model id clients send (default: the model directory's name)." };
        var parallel = new Option<int>("--parallel") { Description = $"Sequences decoded at once, the cache slots (default {defaults.Parallel}).", DefaultValueFactory = _ => defaults.Parallel };
        var prefillChunk = new Option<int>("--prefill-chunk") { Description = $"Prompt tokens fed per step at most (default {defaults.PrefillChunk}).", DefaultValueFactory = _ => defaults.PrefillChunk };
        var prefillChunkDecoding = new Option<int>("--prefill-chunk-decoding")
        {
            Description = $"Prompt tokens fed per step at most while other streams decode, so a long prompt does not stall them (default {defaults.PrefillChunkWhileDecoding}).",
            DefaultValueFactory = _ => defaults.PrefillChunkWhileDecoding,
        };
        var maxQueue = new Option<int>("--max-queue") { Description = $"Requests that may wait for a slot; more get 429 (default {defaults.MaxQueue}).", DefaultValueFactory = _ => defaults.MaxQueue };
        var maxN = new Option<int>("--max-n") { Description = $"Most choices (n) per prompt (default {defaults.MaxN}).", DefaultValueFactory = _ => defaults.MaxN };
        var maxBody = new Option<long>("--max-body-bytes") { Description = $"Largest request body; larger ones get 413 (default {defaults.MaxBodyBytes}).", DefaultValueFactory = _ => defaults.MaxBodyBytes };
        var apiKey = new Option<string[]>("--api-key") { Description = $"An accepted API key (repeatable); also --api-key-file and {ApiKeySet.EnvironmentVariable} (comma-separated).", AllowMultipleArgumentsPerToken = false };
        var apiKeyFile = new Option<string>("--api-key-file") { Description = "File of accepted API keys, one per line (# starts a comment)." };
        var allowNoAuth = new Option<bool>("--allow-no-auth") { Description = "Serve a non-loopback address without API keys." };
        var redactOutput = new Option<bool>("--redact-output") { Description = "Replace personal data and secrets in generated text (streams too) with placeholders." };
        var blockList = new Option<string>("--block-list") { Description = "File of phrases (one per line, any case) that end a generation with finish_reason content_filter." };
        var requestTimeout = new Option<double?>("--request-timeout") { Description = "Seconds a request may take, queue included; a longer one is stopped (504, or an error event in a stream). Default: none." };
        var shutdownGrace = new Option<double>("--shutdown-grace") { Description = $"Seconds requests in flight get to finish after SIGTERM or Ctrl+C (default {defaults.ShutdownGrace.TotalSeconds}).", DefaultValueFactory = _ => defaults.ShutdownGrace.TotalSeconds };
        var rateRequests = new Option<int?>("--rate-limit-requests") { Description = "Requests per minute per API key (per client address without keys). Default: no limit." };
        var rateTokens = new Option<int?>("--rate-limit-tokens") { Description = "Prompt + completion tokens per minute per API key (per client address without keys). Default: no limit." };
        var rateStatus = new Option<int>("--rate-limit-status") { Description = $"Status of a rate-limited answer: 429 or 503 (default {defaults.RateLimitStatus}).", DefaultValueFactory = _ => defaults.RateLimitStatus };
        var auditLog = new Option<string>("--audit-log") { Description = "Append one JSON line per request to FILE (request id, key id, route, model, tokens, finish reasons, TTFT, latency, status)." };
        var logContent = new Option<bool>("--log-content") { Description = "Also write prompts and outputs to the audit log, after PII redaction." };
        var corsOrigin = new Option<string[]>("--cors-origin") { Description = "An origin browsers may call the API from (repeatable; * for any). Default: CORS off.", AllowMultipleArgumentsPerToken = false };
        var supportFaq = new Option<string>("--support-faq") { Description = "Knowledge base of POST /v1/apps/support/chat (faq.jsonl). Default: data/apps/support/faq.jsonl, found as the default model is." };
        var translationModel = new Option<string>("--translation-model") { Description = "Model folder of POST /v1/apps/translate. Default: models/myna-translate-en-zh (made by recipes/translate.sh)." };
        var recommendModel = new Option<string>("--recommend-model") { Description = "Model folder of POST /v1/apps/recommend (what `myna recommend train` wrote). Default: the newest under data/apps/recommend." };
        var command = new Command("serve",
            "Serve a model over HTTP with the OpenAI API (chat completions, completions, models, tokenize), batching concurrent requests.\n" +
            "Prints 'listening on http://HOST:PORT' once it accepts requests. SIGTERM or Ctrl+C drains: /ready and new requests get 503,\n" +
            "requests in flight get --shutdown-grace seconds to finish, then the process exits 0. GET /metrics serves Prometheus text.\n\n" +
            "Examples:\n  myna serve\n  myna serve --model models/myna-default --port 0 --parallel 8\n  myna serve --host 0.0.0.0 --api-key-file keys.txt")
        {
            model, allowNonFinite, dtype, host, port, servedName, parallel, prefillChunk, prefillChunkDecoding, maxQueue, maxN, maxBody, apiKey, apiKeyFile, allowNoAuth,
            redactOutput, blockList,
            requestTimeout, shutdownGrace, rateRequests, rateTokens, rateStatus, auditLog, logContent, corsOrigin,
            supportFaq, translationModel, recommendModel,
        };
        command.SetAction(async (parsed, cancellation) =>
        {
            IReadOnlyList<string> keys;
            try
            {
                keys = ApiKeySet.Gather(parsed.GetValue(apiKey), parsed.GetValue(apiKeyFile), Environment.GetEnvironmentVariable(ApiKeySet.EnvironmentVariable));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--api-key-file: {ex.Message}");
            }
            ServerOptions options = ReadOptions(parsed, keys);
            // Refuse a bad command line (an open public address above all) before spending time loading the model.
            try
            {
                options.Validate();
                RequireNamedAppPaths(options);
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message, MynaApp.UsageError);
            }
            string directory = ModelLocator.Resolve(parsed.GetValue(model));
            GptLanguageModel lm = ModelLocator.Load(directory, parsed.GetValue(dtype), parsed.GetValue(allowNonFinite), parsed.InvocationConfiguration.Error);
            string modelId = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
            WebApplication app;
            try
            {
                app = MynaServer.Build(lm, modelId, options with { ModelDirectory = directory });
            }
            catch (Exception ex) when (ex is ArgumentException or IOException or UnauthorizedAccessException)
            {
                throw new CliException(ex.Message);
            }
            await using (app)
            {
                await app.StartAsync(cancellation);
                Uri address = MynaServer.ListeningAddress(app);
                parsed.InvocationConfiguration.Output.WriteLine($"listening on {address.Scheme}://{address.Authority}");
                parsed.InvocationConfiguration.Output.Flush();
                await app.WaitForShutdownAsync(cancellation);
            }
            return MynaApp.Success;
        });
        return command;
    }

    private static IReadOnlyList<string> ReadBlockList(string? path)
    {
        if (path is null) return [];
        try
        {
            return Myna.Generation.Filtering.BlockList.Read(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--block-list: {ex.Message}");
        }
    }

    /// <summary>
    /// An application path named on the command line must exist at start: a typo would otherwise surface only as a 503 at
    /// the first request. (The server itself looks for a path left to its default at the first request, answering 503
    /// naming the recipe that makes it, so the rest of the service runs without the application's data.)
    /// </summary>
    private static void RequireNamedAppPaths(ServerOptions options)
    {
        if (options.SupportFaq is { } faq && !File.Exists(faq)) throw new ArgumentException($"--support-faq '{faq}' does not exist (bash recipes/apps-data.sh faq writes data/apps/support/faq.jsonl).");
        if (options.TranslationModel is { } translation && !Directory.Exists(translation)) throw new ArgumentException($"--translation-model '{translation}' is not a folder (bash recipes/translate.sh makes one).");
        if (options.RecommendModel is { } recommend && !Directory.Exists(recommend)) throw new ArgumentException($"--recommend-model '{recommend}' is not a folder (myna recommend train writes one).");
    }

    /// <summary>The server options a parsed <c>myna serve</c> command line asks for (every flag but --model and --dtype), with <paramref name="keys"/> gathered.</summary>
    internal static ServerOptions ReadOptions(ParseResult parsed, IReadOnlyList<string> keys) => new()
    {
        Host = parsed.GetValue<string>("--host")!,
        Port = parsed.GetValue<int>("--port"),
        ServedModelName = parsed.GetValue<string>("--served-model-name"),
        Parallel = parsed.GetValue<int>("--parallel"),
        PrefillChunk = parsed.GetValue<int>("--prefill-chunk"),
        PrefillChunkWhileDecoding = parsed.GetValue<int>("--prefill-chunk-decoding"),
        MaxQueue = parsed.GetValue<int>("--max-queue"),
        MaxN = parsed.GetValue<int>("--max-n"),
        MaxBodyBytes = parsed.GetValue<long>("--max-body-bytes"),
        ApiKeys = keys,
        AllowNoAuth = parsed.GetValue<bool>("--allow-no-auth"),
        RequestTimeout = parsed.GetValue<double?>("--request-timeout") is { } timeoutSeconds ? Seconds(timeoutSeconds, "--request-timeout") : null,
        ShutdownGrace = Seconds(parsed.GetValue<double>("--shutdown-grace"), "--shutdown-grace"),
        RateLimitRequests = parsed.GetValue<int?>("--rate-limit-requests"),
        RateLimitTokens = parsed.GetValue<int?>("--rate-limit-tokens"),
        RateLimitStatus = parsed.GetValue<int>("--rate-limit-status"),
        AuditLog = parsed.GetValue<string>("--audit-log"),
        LogContent = parsed.GetValue<bool>("--log-content"),
        CorsOrigins = parsed.GetValue<string[]>("--cors-origin") ?? [],
        SupportFaq = parsed.GetValue<string>("--support-faq"),
        TranslationModel = parsed.GetValue<string>("--translation-model"),
        RecommendModel = parsed.GetValue<string>("--recommend-model"),
        RedactOutput = parsed.GetValue<bool>("--redact-output"),
        BlockList = ReadBlockList(parsed.GetValue<string>("--block-list")),
    };

    /// <summary>
    /// How long the command line's signal handling waits for <c>myna serve</c> to stop after SIGTERM or Ctrl+C before it
    /// gives up on it: the shutdown grace plus time to send the stopped requests' errors and close. (Other commands keep
    /// System.CommandLine's 2 seconds.)
    /// </summary>
    internal static TimeSpan? TerminationTimeout(ParseResult parsed)
    {
        if (parsed.CommandResult.Command.Name != "serve") return null;
        double grace = parsed.GetValue<double>("--shutdown-grace");
        return TimeSpan.FromSeconds(Math.Clamp(grace, 0, TimeSpan.FromDays(1).TotalSeconds)) + TimeSpan.FromSeconds(20);
    }

    /// <summary>A whole or fractional number of seconds from the command line.</summary>
    private static TimeSpan Seconds(double seconds, string flag) =>
        double.IsFinite(seconds) && seconds >= 0 && seconds <= TimeSpan.FromDays(1).TotalSeconds
            ? TimeSpan.FromSeconds(seconds)
            : throw new CliException($"{flag} must be a number of seconds from 0 to 86400; it is {seconds}.", MynaApp.UsageError);
}
