using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Myna.Models.Checkpoints;
using Myna.Text.Output;
using Myna.Training;

namespace Myna.Apps.Recommendation;

/// <summary>
/// Trains the next-item model with the ordinary <see cref="Trainer"/>, or reuses the one trained before on the same
/// data: models are cached under a folder named after a hash of the interactions, the protocol and the settings, so a
/// change in any of them trains anew. A model folder is built aside and swapped in only when complete (<see cref="OutputFolder"/>).
/// </summary>
public static class SequenceModelTrainer
{
    /// <summary>The model's folder inside a cached model folder.</summary>
    public const string ModelFolderName = "model";

    /// <summary>The cache folder for <paramref name="log"/>, <paramref name="protocol"/> and <paramref name="settings"/> under <paramref name="cacheRoot"/>.</summary>
    public static string CachedFolder(string cacheRoot, InteractionLog log, RecommendationProtocol protocol, SequenceModelSettings settings) =>
        Path.Combine(cacheRoot, "model-" + Key(log, protocol, settings)[..16]);

    /// <summary>What a cached folder holds, part of the key: 2 since folders carry the transitions and the hybrid's weight,
    /// so a folder cached before (the model alone) is trained anew rather than served without them.</summary>
    private const int CacheLayout = 2;

    /// <summary>The cache key: SHA-256 over the interactions' hash, the protocol's history settings, the settings and the folder layout.</summary>
    public static string Key(InteractionLog log, RecommendationProtocol protocol, SequenceModelSettings settings)
    {
        string text = $"{log.ContentHash()}|min={protocol.MinInteractions}|cap={protocol.HistoryCap}|{JsonSerializer.Serialize(settings)}|layout={CacheLayout}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// The cached model for <paramref name="data"/> (read from <paramref name="log"/>), <paramref name="protocol"/> and
    /// <paramref name="settings"/> under <paramref name="cacheRoot"/>, trained first when there is none or when
    /// <paramref name="retrain"/>; <paramref name="trained"/> says whether this call trained it, <paramref name="progress"/>
    /// sees the trainer's progress, <paramref name="cancellation"/> stops training (nothing is cached then).
    /// </summary>
    /// <exception cref="TrainingOptionsException">The settings make no valid training run.</exception>
    public static SequenceModel TrainOrLoad(SequentialDataset data, InteractionLog log, RecommendationProtocol protocol, SequenceModelSettings settings,
        string cacheRoot, out bool trained, bool retrain = false, Action<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        string folder = CachedFolder(cacheRoot, log, protocol, settings);
        trained = false;
        if (!retrain && File.Exists(Path.Combine(folder, SequenceModelInfo.FileName))) return SequenceModel.Load(folder);
        string key = Key(log, protocol, settings);
        // The model folder is a run's output: staged beside it and swapped in whole, so a cache entry is never half written.
        using (OutputFolder output = OutputFolder.Begin(folder, File.Exists(log.Source) ? [log.Source] : [], replace: true, "--cache"))
        {
            Train(data, protocol, settings, key, output.Staging, progress, cancellation);
            output.Commit(cancellation);
        }
        trained = true;
        return SequenceModel.Load(folder);
    }

    /// <summary>Trains into <paramref name="folder"/> (which must exist or be creatable): shards and the trainer's run in sub-folders that are removed, the
    /// final model in <see cref="ModelFolderName"/>, the training transitions (<see cref="TransitionTable.FileName"/>) and
    /// <see cref="SequenceModelInfo.FileName"/> beside it, with the hybrid's weight chosen on <paramref name="protocol"/>'s validation item.</summary>
    /// <exception cref="TrainingOptionsException">The settings make no valid training run.</exception>
    /// <exception cref="OperationCanceledException">Cancelled before the model was complete.</exception>
    public static SequenceModelInfo Train(SequentialDataset data, RecommendationProtocol protocol, SequenceModelSettings settings, string key, string folder,
        Action<TrainingProgress>? progress = null, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        string shards = Path.Combine(folder, "shards"), run = Path.Combine(folder, "run");
        ItemShards.Write(data, shards);
        var options = new TrainingOptions
        {
            Data = shards,
            Out = run,
            Preset = "tiny",
            Layers = settings.Layers,
            Heads = settings.Heads,
            EmbeddingSize = settings.EmbeddingSize,
            ContextLength = settings.Context,
            SequenceLength = settings.Context,
            BatchSize = settings.BatchSize,
            MaxSteps = settings.Steps,
            LearningRate = settings.LearningRate,
            MinLearningRate = settings.LearningRate / 10,
            Dropout = settings.Dropout,
            EvalInterval = 0,
            CheckpointInterval = 0,
            LogInterval = Math.Max(1, settings.Steps / 20),
            Seed = settings.Seed,
            Threads = settings.Threads,
        };
        TrainingResult result = new Trainer(options, progress).Run(cancellation: cancellation);
        if (result.StopReason != "completed") throw new OperationCanceledException("training was interrupted; no model was cached.");
        string model = Path.Combine(folder, ModelFolderName);
        Directory.Move(result.Checkpoint, model);
        foreach (string name in (string[])["optimizer.safetensors", "trainer_state.json"]) File.Delete(Path.Combine(model, name));
        Directory.Delete(shards, recursive: true);
        Directory.Delete(run, recursive: true);
        var transitions = TransitionTable.FromTraining(data);
        transitions.Save(Path.Combine(folder, TransitionTable.FileName));
        var info = new SequenceModelInfo
        {
            ItemIds = [.. data.Vocabulary.ItemIds],
            Key = key,
            Settings = settings,
            TrainingSeconds = clock.Elapsed.TotalSeconds,
            Steps = result.Step,
            FinalLoss = result.TrainLoss,
            Parameters = options.ModelConfig(data.Vocabulary.TokenCount).ParameterCount,
            ModelBytes = new FileInfo(Path.Combine(model, GptCheckpoint.WeightsFileName)).Length,
        };
        // The hybrid's weight, on the validation item: the model is complete, so it is scored as it will be served.
        WeightChoice choice = HybridRecommender.ChooseWeight(SequenceModel.Open(folder, info), transitions, data, protocol);
        info = info with { TransitionWeight = choice, TrainingSeconds = clock.Elapsed.TotalSeconds };
        AtomicFile.WriteAllText(Path.Combine(folder, SequenceModelInfo.FileName), JsonSerializer.Serialize(info, new JsonSerializerOptions { WriteIndented = true }) + "\n");
        return info;
    }
}
