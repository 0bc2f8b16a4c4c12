using System.CommandLine;
using System.Globalization;
using Myna.Bench;
using Myna.Bench.Generation;
using Myna.Tensors;

namespace Myna.Cli.Commands.Bench;

/// <summary><c>myna bench generate</c>: prefill and decode tokens/s at f32, f16 and int8 beside llama.cpp on the same weights.</summary>
internal static class BenchGenerateCommand
{
    public static Command Create()
    {
        var defaults = new GenerateOptions();
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout and nothing else." };
        var dtypes = new Option<string>("--dtypes") { Description = "Comma-separated precisions: f32,f16,int8.", DefaultValueFactory = _ => string.Join(",", defaults.Dtypes) };
        var newTokens = new Option<int>("--new-tokens") { Description = "Tokens decoded after the prompt.", DefaultValueFactory = _ => defaults.NewTokens };
        var promptTokens = new Option<int>("--prompt-tokens") { Description = "Prompt length for prefill.", DefaultValueFactory = _ => defaults.PromptTokens };
        var batch = new Option<int>("--batch") { Description = "Sequences decoded together for the batched figure.", DefaultValueFactory = _ => defaults.Batch };
        var repeats = new Option<int>("--repeats") { Description = "Timed rounds, engines alternating; each figure is the best round.", DefaultValueFactory = _ => defaults.Repeats };
        var skipLlama = new Option<bool>("--skip-llama") { Description = "Measure Myna only (no GGUF export, no llama.cpp)." };
        var preset = new Option<string>("--preset") { Description = "Model size: tiny, small, gpt2 (124M), ...", DefaultValueFactory = _ => defaults.Preset };
        var isa = new Option<string>("--isa")
        {
            Description = "Instruction-set tier for both engines: auto (this CPU's best), avx512, avx2, portable, or all (each tier this " +
                "CPU supports, one after another). A lower tier reruns the benchmark in a child process with the wider instructions " +
                "switched off (DOTNET_EnableAVX512=0, …), and llama.cpp loads its build for that tier.",
            DefaultValueFactory = _ => "auto",
        };

        var command = new Command("generate",
            "Time prefill and decode of GPT-2-shaped random weights at f32, f16 and int8, beside llama.cpp (LLamaSharp) on the same weights as GGUF.\n\n" +
            "Examples:\n" +
            "  myna bench generate --json\n" +
            "  myna bench generate --dtypes int8 --skip-llama\n" +
            "  myna bench generate --isa avx2          # as on a machine without AVX-512, both engines\n" +
            "  myna bench generate --isa all --json    # every tier, with ratios between tiers")
        {
            json, dtypes, newTokens, promptTokens, batch, repeats, skipLlama, preset, isa,
        };
        command.SetAction(parseResult =>
        {
            var options = defaults with
            {
                Dtypes = (parseResult.GetValue(dtypes) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                NewTokens = parseResult.GetValue(newTokens),
                PromptTokens = parseResult.GetValue(promptTokens),
                Batch = parseResult.GetValue(batch),
                Repeats = parseResult.GetValue(repeats),
                SkipLlama = parseResult.GetValue(skipLlama),
                Preset = parseResult.GetValue(preset) ?? defaults.Preset,
            };
            bool asJson = parseResult.GetValue(json);
            TextWriter output = parseResult.InvocationConfiguration.Output, error = parseResult.InvocationConfiguration.Error;
            string isaValue = parseResult.GetValue(isa) ?? "auto";
            try
            {
                if (isaValue.Trim().Equals("all", StringComparison.OrdinalIgnoreCase))
                {
                    var reports = TieredGenerateBenchmark.Measure(SimdTiers.Supported, tier => ChildArguments(options, tier), error);
                    if (asJson) TieredGenerateBenchmark.WriteJson(reports, output);
                    else TieredGenerateBenchmark.WriteTable(reports, output, options);
                    return MynaApp.Success;
                }
                SimdTier? requested = IsaRelaunch.Parse(isaValue);
                if (IsaRelaunch.IsNeeded(requested))
                    return IsaRelaunch.Run(requested!.Value, [.. ChildArguments(options, requested.Value).Where(a => asJson || a != "--json")]);
                GenerateBenchmark.Run(options, output, asJson, asJson ? null : error);
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message + " (see 'myna bench generate --help')", MynaApp.UsageError, ex);
            }
            catch (InvalidOperationException ex)
            {
                throw new CliException(ex.Message, MynaApp.Failure, ex);
            }
            return MynaApp.Success;
        });
        return command;
    }

    /// <summary>The same benchmark for a child process at <paramref name="tier"/>, printing its report as JSON.</summary>
    private static List<string> ChildArguments(GenerateOptions options, SimdTier tier)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var arguments = new List<string>
        {
            "bench", "generate", "--json", "--isa", SimdTiers.Name(tier),
            "--dtypes", string.Join(",", options.Dtypes),
            "--new-tokens", options.NewTokens.ToString(c),
            "--prompt-tokens", options.PromptTokens.ToString(c),
            "--batch", options.Batch.ToString(c),
            "--repeats", options.Repeats.ToString(c),
            "--preset", options.Preset,
        };
        if (options.SkipLlama) arguments.Add("--skip-llama");
        return arguments;
    }
}
