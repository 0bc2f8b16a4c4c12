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
        var host = new Option<string>("--host") { Description = $"Address to bind (default {defaults.Host}). Another address needs an API key or --allow-no-auth.", DefaultValueFactory = _ => defaults.Host };
        var port = new Option<int>("--port") { Description = $"Port (default {defaults.Port}); 0 picks a free one and prints it.", DefaultValueFactory = _ => defaults.Port };
        var servedName = new Option<string>("--served-model-name") { Description = "The model id clients send (default: the model directory's name)." };
        var parallel = new Option<int>("--parallel") { Description = $"Sequences decoded at once, the cache slots (default {defaults.Parallel}).", DefaultValueFactory = _ => defaults.Parallel };
        var prefillChunk = new Option<int>("--prefill-chunk") { Description = $"Prompt tokens fed per step at most (default {defaults.PrefillChunk}).", DefaultValueFactory = _ => defaults.PrefillChunk };
        var maxQueue = new Option<int>("--max-queue") { Description = $"Requests that may wait for a slot; more get 429 (default {defaults.MaxQueue}).", DefaultValueFactory = _ => defaults.MaxQueue };
        var maxN = new Option<int>("--max-n") { Description = $"Most choices (n) per prompt (default {defaults.MaxN}).", DefaultValueFactory = _ => defaults.MaxN };
        var maxBody = new Option<long>("--max-body-bytes") { Description = $"Largest request body; larger ones get 413 (default {defaults.MaxBodyBytes}).", DefaultValueFactory = _ => defaults.MaxBodyBytes };
        var apiKey = new Option<string[]>("--api-key") { Description = $"An accepted API key (repeatable); also --api-key-file and {ApiKeySet.EnvironmentVariable} (comma-separated).", AllowMultipleArgumentsPerToken = false };
        var apiKeyFile = new Option<string>("--api-key-file") { Description = "File of accepted API keys, one per line (# starts a comment)." };
        var allowNoAuth = new Option<bool>("--allow-no-auth") { Description = "Serve a non-loopback address without API keys." };
        var command = new Command("serve",
            "Serve a model over HTTP with the OpenAI API (chat completions, completions, models, tokenize), batching concurrent requests.\n" +
            "Prints 'listening on http://HOST:PORT' once it accepts requests; Ctrl+C stops it.\n\n" +
            "Examples:\n  myna serve\n  myna serve --model models/myna-default --port 0 --parallel 8\n  myna serve --host 0.0.0.0 --api-key-file keys.txt")
        {
            model, dtype, host, port, servedName, parallel, prefillChunk, maxQueue, maxN, maxBody, apiKey, apiKeyFile, allowNoAuth,
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
            var options = new ServerOptions
            {
                Host = parsed.GetValue(host)!,
                Port = parsed.GetValue(port),
                ServedModelName = parsed.GetValue(servedName),
                Parallel = parsed.GetValue(parallel),
                PrefillChunk = parsed.GetValue(prefillChunk),
                MaxQueue = parsed.GetValue(maxQueue),
                MaxN = parsed.GetValue(maxN),
                MaxBodyBytes = parsed.GetValue(maxBody),
                ApiKeys = keys,
                AllowNoAuth = parsed.GetValue(allowNoAuth),
            };
            // Refuse a bad command line (an open public address above all) before spending time loading the model.
            try
            {
                options.Validate();
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message, MynaApp.UsageError);
            }
            string directory = ModelLocator.Resolve(parsed.GetValue(model));
            GptLanguageModel lm = ModelLocator.Load(directory, parsed.GetValue(dtype));
            string modelId = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)));
            WebApplication app;
            try
            {
                app = MynaServer.Build(lm, modelId, options with { ModelDirectory = directory });
            }
            catch (ArgumentException ex)
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
}
