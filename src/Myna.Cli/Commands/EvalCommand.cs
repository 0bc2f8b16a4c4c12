using System.CommandLine;
using Myna.Cli.Commands.Eval;

namespace Myna.Cli.Commands;

/// <summary><c>myna eval ...</c>: scores that the field publishes, computed exactly as the reference tools do.</summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var command = new Command("eval",
            "Evaluate models and outputs: perplexity, BLEU and chrF/chrF++ exactly as sacreBLEU (and its paired bootstrap test), ROUGE exactly as Google's rouge-score.\n\n" +
            "Examples:\n" +
            "  myna eval bleu --hyp hyp.txt --ref ref.txt\n" +
            "  myna eval chrf --hyp hyp.txt --ref ref.txt --word-order 2\n" +
            "  myna eval paired-bs --ref ref.txt --baseline base.txt --system new.txt\n" +
            "  myna eval rouge --hyp summaries.txt --ref references.txt --stemmer --json\n" +
            "  myna eval ppl --model models/myna-default --data held-out.txt");
        foreach (Command sub in EvalSubcommands()) command.Subcommands.Add(sub);
        return command;
    }

    private static IEnumerable<Command> EvalSubcommands()
    {
        // One line per metric; each lives in Commands/Eval/.
        yield return EvalBleuCommand.Create();
        yield return EvalChrfCommand.Create();
        yield return EvalPairedBootstrapCommand.Create();
        yield return EvalRougeCommand.Create();
        yield return EvalPplCommand.Create();
        yield return EvalTaskCommand.Create();
    }
}
