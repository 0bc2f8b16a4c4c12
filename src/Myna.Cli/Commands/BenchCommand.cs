using System.CommandLine;
using Myna.Cli.Commands.Bench;

namespace Myna.Cli.Commands;

/// <summary><c>myna bench ...</c>: performance benchmarks with JSON output, peers measured in the same run.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure the speed of Myna's hot paths (tokenizer, kernels, training, generation, serving) against peers.");
        foreach (Command sub in BenchSubcommands()) command.Subcommands.Add(sub);
        return command;
    }

    private static IEnumerable<Command> BenchSubcommands()
    {
        // One line per benchmark; each lives in Commands/Bench/.
        yield return BenchPrepareCommand.CreatePrepare();
        yield return BenchPrepareCommand.CreateTokenizerTrain();
        yield return BenchTokenizeCommand.Create();
        yield return BenchGemmCommand.Create();
        yield return BenchTrainCommand.Create();
        yield return BenchGenerateCommand.Create();
        yield return BenchServeCommand.Create();
        yield return BenchPplCommand.Create();
    }
}
