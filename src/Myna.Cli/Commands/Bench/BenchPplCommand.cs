using System.CommandLine;
using Myna.Bench.Evaluation;
using Myna.Cli.Commands.Eval;
using Myna.Generation;

namespace Myna.Cli.Commands.Bench;

/// <summary><c>myna bench ppl</c>: <c>myna eval ppl</c>'s time next to the training forward over the same windows, same run.</summary>
internal static class BenchPplCommand
{
    /// <summary>The held-out split a model directory ships (the default model's), used when no --data is given.</summary>
    private const string HeldOutFolder = "heldout";

    public static Command Create()
    {
        var defaults = new PerplexityBenchOptions();
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout and nothing else." };
        var model = new Option<string>("--model", "-m") { Description = $"Model directory. Default: {ModelLocator.DefaultModelPath}." };
        var data = new Option<string>("--data") { Description = $"A UTF-8 text file or a shard directory, as for `myna eval ppl`. Default: the model's {HeldOutFolder}/ split." };
        var stride = new Option<int?>("--stride") { Description = "Tokens the window advances by (default: half the window)." };
        var window = new Option<int?>("--window") { Description = "Window length in tokens (default and maximum: the model's context)." };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Score only the first N tokens." };
        var rounds = new Option<int>("--rounds") { Description = "Timed rounds, methods in turn; figures are medians.", DefaultValueFactory = _ => defaults.Rounds };
        var batch = new Option<int>("--batch") { Description = "Windows per training forward pass (B).", DefaultValueFactory = _ => defaults.TrainingBatch };
        var skipEngine = new Option<bool>("--skip-engine") { Description = "Do not time the inference engine's window-by-window path." };
        Option<string> dtype = ModelLocator.CreateDtypeOption();
        var isa = new Option<string>("--isa")
        {
            Description = "Instruction-set tier: auto (this machine's best), avx512, avx2 or portable; Myna reruns itself with the higher instruction sets off (the JSON's isa says which ran).",
            DefaultValueFactory = _ => "auto",
        };
        var command = new Command("ppl",
            "Time `myna eval ppl` beside the training forward pass over the same windows (and the inference engine's path), in one process, rounds interleaved.\n\n" +
            "Examples:\n  myna bench ppl --json\n  myna bench ppl --model runs/m --data work/shards --rounds 5\n  myna bench ppl --isa avx2 --dtype f16 --json")
        {
            json, model, data, stride, window, maxTokens, rounds, batch, skipEngine, dtype, isa,
        };
        command.SetAction(parsed =>
        {
            if (BenchIsa.RelaunchIfNeeded(parsed, parsed.GetValue(isa)) is { } childExitCode) return childExitCode;
            GptLanguageModel lm = ModelLocator.Load(parsed.GetValue(model), parsed.GetValue(dtype));
            if (lm.Tokenizer is null) throw new CliException("the model directory has no tokenizer files.");
            string path = parsed.GetValue(data) ?? Path.Combine(ModelLocator.Resolve(parsed.GetValue(model)), HeldOutFolder);
            int[] tokens = EvalPplCommand.ReadTokens(path, lm);
            if (parsed.GetValue(maxTokens) is { } limit && tokens.Length > limit) tokens = tokens[..Math.Max(limit, 0)];
            var options = defaults with
            {
                Window = parsed.GetValue(window),
                Stride = parsed.GetValue(stride),
                Rounds = parsed.GetValue(rounds),
                TrainingBatch = parsed.GetValue(batch),
                IncludeEngine = !parsed.GetValue(skipEngine),
            };
            try
            {
                PerplexityBenchmark.Run(lm, tokens, options, parsed.InvocationConfiguration.Output, parsed.GetValue(json));
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message + " (see 'myna bench ppl --help')", MynaApp.UsageError, ex);
            }
            return MynaApp.Success;
        });
        return command;
    }
}
