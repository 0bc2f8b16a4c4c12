using System.CommandLine;
using Myna.Bench.Train;

namespace Myna.Cli.Commands.Bench;

/// <summary><c>myna bench train</c>: milliseconds, tokens/s, GFLOP/s and MFU of full GPT training steps.</summary>
internal static class BenchTrainCommand
{
    public static Command Create()
    {
        var defaults = new TrainStepOptions();
        var json = new Option<bool>("--json") { Description = "Print one JSON object on stdout and nothing else." };
        var steps = new Option<int>("--steps") { Description = "Timed training steps.", DefaultValueFactory = _ => defaults.Steps };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps before timing.", DefaultValueFactory = _ => defaults.WarmupSteps };
        var batch = new Option<int>("--batch") { Description = "Sequences per step (B).", DefaultValueFactory = _ => defaults.Batch };
        var seqLen = new Option<int>("--seq-len") { Description = "Tokens per sequence (T).", DefaultValueFactory = _ => defaults.SequenceLength };
        var preset = new Option<string>("--preset")
        {
            Description = "Model size: tiny, small, gpt2 (124M), gpt2-medium, gpt2-large, gpt2-xl.",
            DefaultValueFactory = _ => defaults.Preset,
        };
        var seed = new Option<ulong>("--seed") { Description = "Seed for weights and tokens.", DefaultValueFactory = _ => defaults.Seed };
        var isa = new Option<string>("--isa")
        {
            Description = "Instruction-set tier: auto (this machine's best), avx512, avx2 or portable; Myna reruns itself " +
                "with the higher instruction sets off, and MFU is against that tier's FMA peak.",
            DefaultValueFactory = _ => "auto",
        };

        var command = new Command("train",
            "Time fp32 training steps of a randomly initialised GPT, the step `myna train` runs (forward, backward, gradient " +
            "norm, AdamW that clips and clears the gradients); default GPT-2 124M at 4 x 64 tokens.\n\n" +
            "Examples:\n" +
            "  myna bench train --json\n" +
            "  myna bench train --isa avx2 --json\n" +
            "  myna bench train --preset tiny --steps 3 --json")
        {
            json, steps, warmup, batch, seqLen, preset, seed, isa,
        };
        command.SetAction(parseResult =>
        {
            if (BenchIsa.RelaunchIfNeeded(parseResult, parseResult.GetValue(isa)) is { } childExitCode) return childExitCode;
            var options = new TrainStepOptions
            {
                Preset = parseResult.GetValue(preset) ?? defaults.Preset,
                Batch = parseResult.GetValue(batch),
                SequenceLength = parseResult.GetValue(seqLen),
                Steps = parseResult.GetValue(steps),
                WarmupSteps = parseResult.GetValue(warmup),
                Seed = parseResult.GetValue(seed),
            };
            try
            {
                TrainStepBenchmark.Run(options, parseResult.InvocationConfiguration.Output, parseResult.GetValue(json));
            }
            catch (ArgumentException ex)
            {
                throw new CliException(ex.Message + " (see 'myna bench train --help')", MynaApp.UsageError, ex);
            }
            return MynaApp.Success;
        });
        return command;
    }
}
