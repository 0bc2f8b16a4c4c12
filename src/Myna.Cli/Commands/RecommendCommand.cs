using System.CommandLine;
using Myna.Cli.Commands.Recommend;

namespace Myna.Cli.Commands;

/// <summary><c>myna recommend ...</c>: next-movie recommendation from a viewing history — evaluate, train, recommend.</summary>
internal static class RecommendCommand
{
    public static Command Create()
    {
        var command = new Command("recommend",
            "Personalised recommendation: a sequential recommender (a GPT over movie ids) trained on MovieLens ratings, " +
            "measured against popularity and item-to-item baselines.\n\n" +
            "Examples:\n" +
            "  bash recipes/apps-data.sh recommend\n" +
            "  myna recommend eval --json\n" +
            "  myna recommend train --data ml-1m/\n" +
            "  myna recommend for --history 1,2,3 -k 10");
        command.Subcommands.Add(RecommendEvalCommand.Create());
        command.Subcommands.Add(RecommendTrainCommand.Create());
        command.Subcommands.Add(RecommendForCommand.Create());
        return command;
    }
}
