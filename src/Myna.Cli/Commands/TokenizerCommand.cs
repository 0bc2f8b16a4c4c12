using System.CommandLine;

namespace Myna.Cli.Commands;

/// <summary><c>myna tokenizer ...</c>: tokenizer lifecycle commands.</summary>
internal static class TokenizerCommand
{
    public static Command Create()
    {
        var command = new Command("tokenizer", "Train byte-level BPE tokenizers (GPT-2 style, Hugging Face file layout).\n\n" +
            "Examples:\n" +
            "  myna tokenizer train --input data/clean --vocab-size 8192 --out tokenizer");
        command.Subcommands.Add(TokenizerTrainCommand.Create());
        return command;
    }
}
