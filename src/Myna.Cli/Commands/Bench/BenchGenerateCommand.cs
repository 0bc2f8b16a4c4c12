using System.CommandLine;
using Myna.Bench.Generation;

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

        var command = new Command("generate",
            "Time prefill and decode of GPT-2-shaped random weights at f32, f16 and int8, beside llama.cpp (LLamaSharp) on the same weights as GGUF.\n\n" +
            "Examples:\n" +
            "  myna bench generate --json\n" +
            "  myna bench generate --dtypes int8 --skip-llama")
        {
            json, dtypes, newTokens, promptTokens, batch, repeats, skipLlama, preset,
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
            try
            {
                GenerateBenchmark.Run(options, parseResult.InvocationConfiguration.Output, asJson, asJson ? null : parseResult.InvocationConfiguration.Error);
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message + " (see 'myna bench generate --help')", MynaApp.UsageError, ex);
            }
            return MynaApp.Success;
        });
        return command;
    }
}
