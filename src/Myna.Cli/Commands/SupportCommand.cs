using System.CommandLine;
using Myna.Cli.Commands.Support;

namespace Myna.Cli.Commands;

/// <summary><c>myna support ...</c>: the bilingual Debian FAQ assistant — ask it, evaluate it, tune its hand-off on dev.</summary>
internal static class SupportCommand
{
    public static Command Create()
    {
        var command = new Command("support",
            "The bilingual (English/Chinese) Debian FAQ assistant: BM25 retrieval, answers with sources, hand-off to a person.\n\n" +
            "Examples:\n" +
            "  myna support ask \"How do I upgrade to the next Debian release?\"\n" +
            "  myna support ask --json \"如何升级到下一个 Debian 版本？\"\n" +
            "  myna support eval --json\n" +
            "  myna support tune");
        command.Subcommands.Add(SupportAskCommand.Create());
        command.Subcommands.Add(SupportEvalCommand.Create());
        command.Subcommands.Add(SupportTuneCommand.Create());
        return command;
    }
}
