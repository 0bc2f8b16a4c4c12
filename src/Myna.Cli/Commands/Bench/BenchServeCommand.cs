using System.CommandLine;
using System.Globalization;
using Myna.Bench.Serving;

namespace Myna.Cli.Commands.Bench;

/// <summary><c>myna bench serve</c>: the HTTP server under load from our own client, beside the bare engine and llama.cpp.</summary>
internal static class BenchServeCommand
{
    public static Command Create()
    {
        var defaults = new ServeOptions();
        var quickDefaults = ServeOptions.Quick;
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout and nothing else." };
        var quick = new Option<bool>("--quick")
        {
            Description = $"Smoke test: concurrency {string.Join(",", quickDefaults.Concurrency)}, {quickDefaults.Requests} requests per run, " +
                $"{quickDefaults.NewTokens} new tokens, one engine round (seconds per model; the figures mean little).",
        };
        var dtype = new Option<string>("--dtype")
        {
            Description = "Models: f32 (the default model), f16, int8 (GPT-2 124M shapes, random weights), a comma list, or all.",
            DefaultValueFactory = _ => "all",
        };
        var model = new Option<string>("--model", "-m")
        {
            Description = $"The f32 model's directory. Default: {ModelLocator.DefaultModelPath} (random GPT-2 124M weights when it is not found).",
        };
        var concurrency = new Option<string>("--concurrency") { Description = $"Concurrent clients of the load runs (default {string.Join(",", defaults.Concurrency)})." };
        var requests = new Option<int?>("--requests") { Description = $"Requests per load run, at least {ServeOptions.MinimumRoundsPerRun} per client (default {defaults.Requests})." };
        var duration = new Option<double?>("--duration") { Description = $"Seconds after which a run sends no more requests (default {defaults.Duration.TotalSeconds})." };
        var promptTokens = new Option<int?>("--prompt-tokens") { Description = $"Prompt length of every request (default {defaults.PromptTokens})." };
        var newTokens = new Option<int?>("--new-tokens") { Description = $"Tokens every request generates, with ignore_eos (default {defaults.NewTokens})." };
        var parallel = new Option<int?>("--parallel") { Description = "Server slots for the load runs (default: the server's)." };
        var prefillChunk = new Option<int?>("--prefill-chunk") { Description = "Server prompt tokens per step (default: the server's)." };
        var endurance = new Option<double?>("--endurance") { Description = $"Also run SECONDS at concurrency {defaults.EnduranceConcurrency} and count errors and lost requests (the issue's target: 120), on f16 when measured." };
        var repeats = new Option<int?>("--repeats") { Description = $"Rounds of the bare engine and llama.cpp; each figure is the best (default {defaults.EngineRepeats})." };
        var skipLlama = new Option<bool>("--skip-llama") { Description = "Leave llama.cpp out." };
        var isa = new Option<string>("--isa")
        {
            Description = "Instruction-set tier: auto (this CPU's best), avx512, avx2 or portable; a lower tier reruns the benchmark in a " +
                "child process with the wider instructions off, and llama.cpp loads its build for that tier.",
            DefaultValueFactory = _ => "auto",
        };

        var command = new Command("serve",
            "Load the OpenAI-compatible server (on a loopback port, in this process) with streamed completions at several concurrencies, " +
            "and measure the bare engine and llama.cpp on the same weights in the same run: requests/s, tokens/s, TTFT, end-to-end and " +
            "inter-token latency, errors, batching off, a long prompt joining running streams, overload, and the issue's ratios.\n\n" +
            "Examples:\n" +
            "  myna bench serve                       # f32 default model, f16 and int8 GPT-2 124M; a few minutes on 2 cores\n" +
            "  myna bench serve --json --dtype f16\n" +
            "  myna bench serve --quick --dtype f32   # smoke test, seconds\n" +
            "  myna bench serve --dtype f16 --endurance 120")
        {
            json, quick, dtype, model, concurrency, requests, duration, promptTokens, newTokens, parallel, prefillChunk, endurance, repeats, skipLlama, isa,
        };
        command.SetAction(async (parseResult, cancellation) =>
        {
            if (BenchIsa.RelaunchIfNeeded(parseResult, parseResult.GetValue(isa)) is { } childExitCode) return childExitCode;
            ServeOptions start = parseResult.GetValue(quick) ? quickDefaults : defaults;
            bool asJson = parseResult.GetValue(json);
            TextWriter output = parseResult.InvocationConfiguration.Output, error = parseResult.InvocationConfiguration.Error;
            try
            {
                IReadOnlyList<string> dtypes = ParseDtypes(parseResult.GetValue(dtype));
                var options = start with
                {
                    Dtypes = dtypes,
                    DefaultModelDirectory = dtypes.Contains("f32") ? DefaultModel(parseResult.GetValue(model), asJson ? null : error) : null,
                    Concurrency = parseResult.GetValue(concurrency) is { } list ? ParseList(list, "--concurrency") : start.Concurrency,
                    Requests = parseResult.GetValue(requests) ?? start.Requests,
                    Duration = parseResult.GetValue(duration) is { } seconds ? TimeSpan.FromSeconds(seconds) : start.Duration,
                    PromptTokens = parseResult.GetValue(promptTokens) ?? start.PromptTokens,
                    NewTokens = parseResult.GetValue(newTokens) ?? start.NewTokens,
                    Parallel = parseResult.GetValue(parallel) ?? start.Parallel,
                    PrefillChunk = parseResult.GetValue(prefillChunk) ?? start.PrefillChunk,
                    Endurance = parseResult.GetValue(endurance) is { } endure ? TimeSpan.FromSeconds(endure) : start.Endurance,
                    EngineRepeats = parseResult.GetValue(repeats) ?? start.EngineRepeats,
                    SkipLlama = parseResult.GetValue(skipLlama),
                };
                await ServeBenchmark.RunAsync(options, output, asJson, asJson ? null : error).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message + " (see 'myna bench serve --help')", MynaApp.UsageError, ex);
            }
            catch (InvalidOperationException ex)
            {
                throw new CliException(ex.Message, MynaApp.Failure, ex);
            }
            return MynaApp.Success;
        });
        return command;
    }

    /// <summary><c>--dtype</c>: "all", one name or a comma list.</summary>
    private static IReadOnlyList<string> ParseDtypes(string? value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Trim().Equals("all", StringComparison.OrdinalIgnoreCase)) return new ServeOptions().Dtypes;
        return [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ServeBenchmark.ParseDtype).Distinct()];
    }

    private static IReadOnlyList<int> ParseList(string value, string option)
    {
        var numbers = new List<int>();
        foreach (string part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1)
                throw new ArgumentException($"{option} takes positive whole numbers separated by commas, not '{value}'.");
            numbers.Add(number);
        }
        return numbers;
    }

    /// <summary>The f32 model: --model, else the default model when it is found, else null (random weights).</summary>
    private static string? DefaultModel(string? requested, TextWriter? progress)
    {
        if (requested is not null) return requested;
        try
        {
            return ModelLocator.Resolve(null);
        }
        catch (CliException ex)
        {
            progress?.WriteLine($"{ex.Message} Serving random GPT-2 124M weights at f32 instead.");
            return null;
        }
    }
}
