using System.Text.Json;
using Myna.Models;
using Myna.Models.Checkpoints;
using Myna.Models.Inference;

namespace Myna.Apps.Recommendation;

/// <summary>
/// A trained next-item model as a recommender: each history is read as [end-of-sequence, items…] (the most recent
/// context − 1 items) by <see cref="GptInference"/>, many users per forward pass, and the logits of the last position
/// over the items are the scores. One engine, so calls are serialised; a call scores its users in batches.
/// </summary>
public sealed class SequenceModel : ISequentialRecommender
{
    /// <summary>Users per forward pass (32: a (32 × 200)-row prefill keeps the activations in a few megabytes).</summary>
    public const int UsersPerForward = 32;

    private readonly GptInference _engine;
    private readonly Lock _gate = new();
    private readonly float[] _logits;

    private SequenceModel(string folder, SequenceModelInfo info, GptWeights weights)
    {
        Folder = folder;
        Info = info;
        Vocabulary = new ItemVocabulary(info.ItemIds);
        if (weights.Config.VocabSize < Vocabulary.TokenCount)
            throw new InvalidDataException($"{folder}: the model has {weights.Config.VocabSize} tokens but {SequenceModelInfo.FileName} lists {Vocabulary.TokenCount - 1} items plus the end token.");
        _engine = new GptInference(weights, UsersPerForward);
        Recommender = this;
        _logits = new float[UsersPerForward * weights.Config.VocabSize];
    }

    /// <summary>The cached model folder (model/ and recommender.json).</summary>
    public string Folder { get; }

    /// <summary>How the model was trained, and its items.</summary>
    public SequenceModelInfo Info { get; }

    /// <summary>The model's items as tokens.</summary>
    public ItemVocabulary Vocabulary { get; }

    /// <summary>The model's shape.</summary>
    public GptConfig Config => _engine.Config;

    /// <inheritdoc />
    public string Name => "model";

    /// <summary>
    /// The recommender the folder was tuned for: the hybrid of this model and its saved transitions at the weight chosen
    /// on the validation item, or this model alone when the folder has no transitions (trained before the hybrid).
    /// </summary>
    public ISequentialRecommender Recommender { get; private set; }

    /// <summary>Loads a folder <see cref="SequenceModelTrainer"/> wrote.</summary>
    /// <exception cref="InvalidDataException">recommender.json or transitions.json is missing or malformed, or disagrees with the model.</exception>
    /// <exception cref="ModelFormatException">The model files are malformed.</exception>
    public static SequenceModel Load(string folder)
    {
        SequenceModel model = LoadModelOnly(folder);
        if (model.Info.TransitionWeight is { } choice)
        {
            string path = Path.Combine(folder, TransitionTable.FileName);
            if (!File.Exists(path)) throw new InvalidDataException($"{folder}: {SequenceModelInfo.FileName} gives a transition weight but {TransitionTable.FileName} is missing.");
            model.Recommender = new HybridRecommender(model, TransitionTable.Load(path, model.Vocabulary.Count), choice.Weight);
        }
        return model;
    }

    /// <summary>The model of a folder, without its transitions (read by <see cref="Load"/>).</summary>
    private static SequenceModel LoadModelOnly(string folder)
    {
        string infoPath = Path.Combine(folder, SequenceModelInfo.FileName);
        if (!File.Exists(infoPath)) throw new InvalidDataException($"'{folder}' is not a recommender model folder: it has no {SequenceModelInfo.FileName}.");
        SequenceModelInfo info;
        try
        {
            info = JsonSerializer.Deserialize<SequenceModelInfo>(File.ReadAllText(infoPath)) ?? throw new InvalidDataException($"{infoPath} is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{infoPath}: {ex.Message}");
        }
        return Open(folder, info);
    }

    /// <summary>The model in <paramref name="folder"/>'s model/ with <paramref name="info"/> as its description, the model
    /// alone (the trainer's, before recommender.json is written with the transitions' weight).</summary>
    internal static SequenceModel Open(string folder, SequenceModelInfo info) =>
        new(folder, info, GptCheckpoint.Load(Path.Combine(folder, SequenceModelTrainer.ModelFolderName)));

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A history holds a token outside the model's items.</exception>
    public void Score(IReadOnlyList<ReadOnlyMemory<int>> histories, Span<float> scores)
    {
        int items = Vocabulary.Count, vocab = _engine.Config.VocabSize, keep = _engine.Config.ContextLength - 1;
        lock (_gate)
        {
            for (int start = 0; start < histories.Count; start += UsersPerForward)
            {
                int count = Math.Min(UsersPerForward, histories.Count - start);
                var sequences = new int[count];
                var counts = new int[count];
                var tokens = new List<int>();
                for (int j = 0; j < count; j++)
                {
                    ReadOnlySpan<int> history = histories[start + j].Span;
                    if (history.Length > keep) history = history[^keep..];
                    sequences[j] = j;
                    counts[j] = history.Length + 1;
                    tokens.Add(Vocabulary.EndOfSequence);
                    foreach (int item in history)
                    {
                        if ((uint)item >= (uint)items) throw new ArgumentException($"item token {item} is outside the model's {items} items.");
                        tokens.Add(item);
                    }
                    _engine.Reset(j);
                }
                _engine.Forward(sequences, counts, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(tokens), _logits.AsSpan(0, count * vocab));
                for (int j = 0; j < count; j++) _logits.AsSpan(j * vocab, items).CopyTo(scores.Slice((start + j) * items, items));
            }
        }
    }
}
