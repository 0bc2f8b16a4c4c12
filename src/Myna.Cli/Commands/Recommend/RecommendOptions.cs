using System.CommandLine;
using System.Globalization;
using Myna.Apps.Recommendation;
using Myna.Training;
using Myna.Tensors;

namespace Myna.Cli.Commands.Recommend;

/// <summary>The options every recommend command shares, and the data and model they load.</summary>
internal sealed class RecommendOptions
{
    public Option<string> Data { get; } = new("--data")
    {
        Description = $"A MovieLens ratings.csv (ml-latest-small layout) or ratings.dat (ML-1M), or the folder holding one (and movies.csv/.dat for titles). " +
            $"Default: {RecommendDataFiles.DefaultFolder} (made by `{RecommendDataFiles.Recipe}`).",
        HelpName = "DIR|FILE",
    };

    public Option<string> Cache { get; } = new("--cache")
    {
        Description = "Where trained models are cached, one folder per data, protocol and settings hash. Default: the folder holding the ratings.",
        HelpName = "DIR",
    };

    public Option<bool> DropMalformed { get; } = new("--drop-malformed")
    {
        Description = "Skip ratings rows that cannot be parsed (counted and reported) instead of stopping at the first.",
    };

    public Option<int?> Steps { get; } = new("--steps")
    {
        Description = $"Training steps (default {new SequenceModelSettings().Steps}).",
        HelpName = "N",
    };

    public Option<double?> LearningRate { get; } = new("--lr")
    {
        Description = $"Peak learning rate (default {new SequenceModelSettings().LearningRate}).",
        HelpName = "RATE",
    };

    public Option<int?> EmbeddingSize { get; } = new("--n-embd")
    {
        Description = $"The model's width (default {new SequenceModelSettings().EmbeddingSize}; a multiple of the {new SequenceModelSettings().Heads} heads).",
        HelpName = "N",
    };

    public Option<double?> Dropout { get; } = new("--dropout")
    {
        Description = $"Dropout on the item embeddings and each block's outputs, in [0, 1) (default {new SequenceModelSettings().Dropout}).",
        HelpName = "P",
    };

    public Option<ulong?> Seed { get; } = new("--seed")
    {
        Description = $"Seed of the initial weights and the window order (default {new SequenceModelSettings().Seed}); another seed trains another model, to see how much a figure owes to chance.",
        HelpName = "N",
    };

    public Option<int> Threads { get; } = new("--threads") { Description = "Compute threads (default: all cores).", HelpName = "N" };

    public IEnumerable<Option> All => [Data, Cache, DropMalformed, Steps, LearningRate, EmbeddingSize, Dropout, Seed, Threads];

    public void AddTo(Command command)
    {
        foreach (Option option in All) command.Options.Add(option);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Steps) is int steps && steps < 1) result.AddError("--steps must be at least 1");
            if (result.GetValue(LearningRate) is double rate && !(rate > 0 && double.IsFinite(rate))) result.AddError("--lr must be positive");
            if (result.GetValue(Dropout) is double dropout && !(dropout >= 0 && dropout < 1)) result.AddError("--dropout must be in [0, 1)");
            if (result.GetValue(EmbeddingSize) is int width && (width < 1 || width % new SequenceModelSettings().Heads != 0))
                result.AddError($"--n-embd must be a positive multiple of {new SequenceModelSettings().Heads}");
            int threads = result.GetValue(Threads);
            if (threads < 0) result.AddError("--threads must be 0 or more");
            else if (threads > 0 && ComputePool.ThreadCountRefusal(threads) is { } refusal) result.AddError($"--threads {refusal}");
        });
    }

    public (InteractionLog Log, string Path) ReadLog(ParseResult parsed)
    {
        string path = RecommendDataFiles.Resolve(parsed.GetValue(Data));
        return (RatingsReader.Read(path, parsed.GetValue(DropMalformed) ? MalformedRows.Drop : MalformedRows.Fail), path);
    }

    /// <summary>
    /// The model for the ratings the command names: read (dropped rows reported), split by the protocol, then trained or
    /// taken from the cache (<paramref name="retrain"/> ignores the cache).
    /// </summary>
    public (SequenceModel Model, SequentialDataset Data, string DataPath, bool Trained) TrainOrLoad(ParseResult parsed, bool retrain, CancellationToken cancellation)
    {
        TextWriter error = parsed.InvocationConfiguration.Error;
        (InteractionLog log, string path) = ReadLog(parsed);
        ReportDropped(error, log);
        var protocol = new RecommendationProtocol();
        SequentialDataset data = SequentialDataset.Build(log, protocol);
        SequenceModel model = SequenceModelTrainer.TrainOrLoad(data, log, protocol, Settings(parsed), CacheRoot(parsed, path),
            out bool trained, retrain, ProgressTo(error), cancellation);
        return (model, data, path, trained);
    }

    public SequenceModelSettings Settings(ParseResult parsed)
    {
        var settings = new SequenceModelSettings { Threads = parsed.GetValue(Threads) };
        if (parsed.GetValue(Steps) is int steps) settings = settings with { Steps = steps };
        if (parsed.GetValue(EmbeddingSize) is int width) settings = settings with { EmbeddingSize = width };
        if (parsed.GetValue(Dropout) is double dropout) settings = settings with { Dropout = dropout };
        if (parsed.GetValue(Seed) is ulong seed) settings = settings with { Seed = seed };
        return parsed.GetValue(LearningRate) is double rate ? settings with { LearningRate = rate } : settings;
    }

    public string CacheRoot(ParseResult parsed, string dataPath) => parsed.GetValue(Cache) ?? RecommendDataFiles.DefaultCache(dataPath);

    /// <summary>Training progress as one line per logged step on standard error (standard output stays for the result).</summary>
    public static Action<TrainingProgress> ProgressTo(TextWriter error) => progress =>
    {
        if (progress.Kind == "train")
            error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"train step {progress.Step}/{progress.TotalSteps}  loss {progress.TrainLoss:F3}  {progress.TokensPerSecond:F0} items/s  eta {progress.Eta:mm\\:ss}"));
    };

    /// <summary>The dropped-rows line, when rows were dropped.</summary>
    public static void ReportDropped(TextWriter error, InteractionLog log)
    {
        if (log.DroppedRows > 0)
            error.WriteLine($"dropped {log.DroppedRows} malformed row(s) of {log.Source} (lines {string.Join(", ", log.DroppedLines)}{(log.DroppedRows > log.DroppedLines.Count ? ", …" : "")})");
    }
}
