using System.CommandLine;
using System.Globalization;
using Myna.Apps.Recommendation;

namespace Myna.Cli.Commands.Recommend;

/// <summary><c>myna recommend train</c>: trains (or finds cached) the model for a ratings file.</summary>
internal static class RecommendTrainCommand
{
    public static Command Create()
    {
        var shared = new RecommendOptions();
        var retrain = new Option<bool>("--retrain") { Description = "Train a new model even when one is cached for this data." };
        var command = new Command("train",
            "Train the recommender on every user's interactions but the last two (the protocol's training part), or find the one cached for " +
            "this data and settings; then count the training successions and choose, on the validation item (the second-last), the weight " +
            "with which they join the model in the served hybrid. Prints the model folder.\n\n" +
            "Examples:\n" +
            "  myna recommend train\n" +
            "  myna recommend train --data ml-1m/ratings.dat --cache models/")
        {
            retrain,
        };
        shared.AddTo(command);
        command.SetAction((parsed, cancellation) =>
        {
            TextWriter output = parsed.InvocationConfiguration.Output;
            (SequenceModel model, SequentialDataset data, _, bool trained) = shared.TrainOrLoad(parsed, parsed.GetValue(retrain), cancellation);
            SequenceModelInfo info = model.Info;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(trained ? "trained" : "cached")}: {model.Folder} ({info.Parameters:N0} parameters, {info.Steps} steps, final loss {info.FinalLoss:F3}, " +
                $"{info.TrainingSeconds:F0} s; {data.Users.Count:N0} users, {data.Vocabulary.Count:N0} items, {data.TiedInteractions:N0} tied timestamps)"));
            if (info.TransitionWeight is { } choice)
            {
                WeightTrial chosen = choice.Tried.First(t => t.Weight == choice.Weight), alone = choice.Tried[0];
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"serves {HybridRecommender.SystemName} with transition weight {choice.Weight:0.##}: validation NDCG@10 {chosen.Ndcg:F4} (model alone {alone.Ndcg:F4})"));
            }
            return Task.FromResult(MynaApp.Success);
        });
        return command;
    }
}
