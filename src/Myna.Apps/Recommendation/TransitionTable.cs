using System.Text.Json;
using System.Text.Json.Serialization;
using Myna.Text.Output;

namespace Myna.Apps.Recommendation;

/// <summary>
/// Item-to-item evidence from the training parts: how often each item directly followed each other one, and how often
/// each item occurs. The Markov baseline ranks by it; the hybrid recommender turns it into a smoothed next-item
/// probability and adds its logarithm to the model's. Saved beside a trained model, so a served model carries the
/// evidence it was tuned with.
/// </summary>
public sealed class TransitionTable
{
    /// <summary>The file name inside a cached model folder.</summary>
    public const string FileName = "transitions.json";

    /// <summary>
    /// Pseudo-count of the popularity prior mixed into each row (5): p(i | last) = (c(last, i) + 5·pop(i)) / (c(last) + 5).
    /// On ml-latest-small's validation item the hybrid's NDCG@10 moved by less than the bootstrap's noise between 1 and 20.
    /// </summary>
    public const double PriorCount = 5;

    private readonly Dictionary<int, Dictionary<int, int>> _next;
    private readonly Dictionary<int, int> _rowTotals;
    private readonly int[] _counts;
    private readonly long _total;

    private TransitionTable(int[] counts, Dictionary<int, Dictionary<int, int>> next)
    {
        _counts = counts;
        _next = next;
        _total = counts.Sum(c => (long)c);
        _rowTotals = next.ToDictionary(pair => pair.Key, pair => pair.Value.Values.Sum());
    }

    /// <summary>Items (tokens 0 … Items − 1).</summary>
    public int Items => _counts.Length;

    /// <summary>How often each item occurs in the training parts.</summary>
    public IReadOnlyList<int> Counts => _counts;

    /// <summary>Counts every direct succession inside each user's training part, and every item's occurrences.</summary>
    public static TransitionTable FromTraining(SequentialDataset data)
    {
        var next = new Dictionary<int, Dictionary<int, int>>();
        foreach (UserSequence user in data.Users)
        {
            ReadOnlySpan<int> train = user.Train;
            for (int i = 1; i < train.Length; i++)
            {
                if (!next.TryGetValue(train[i - 1], out Dictionary<int, int>? row)) next[train[i - 1]] = row = [];
                row[train[i]] = row.GetValueOrDefault(train[i]) + 1;
            }
        }
        return new TransitionTable([.. data.TrainCounts], next);
    }

    /// <summary>The items that followed <paramref name="item"/> in training, with how often; null when none did.</summary>
    public IReadOnlyDictionary<int, int>? Followers(int item) => _next.GetValueOrDefault(item);

    /// <summary>
    /// Writes log p(i | <paramref name="last"/>) for every item into <paramref name="into"/>: the followers' counts smoothed
    /// by <see cref="PriorCount"/> pseudo-observations of popularity (add-one popularity, so no item has probability 0),
    /// or popularity alone when there is no last item or it was never followed.
    /// </summary>
    public void LogProbabilities(int? last, Span<float> into)
    {
        if (into.Length != Items) throw new ArgumentException($"the row has {into.Length} slots for {Items} items.", nameof(into));
        Dictionary<int, int>? row = last is int item ? _next.GetValueOrDefault(item) : null;
        double rowTotal = row is null ? 0 : _rowTotals[last!.Value];
        double priorMass = row is null ? 1 : PriorCount;
        double denominator = rowTotal + priorMass, popularityTotal = _total + Items;
        for (int i = 0; i < into.Length; i++) into[i] = (float)Math.Log(priorMass * (_counts[i] + 1) / popularityTotal / denominator);
        if (row is null) return;
        foreach ((int next, int count) in row) into[next] = (float)Math.Log((count + priorMass * (_counts[next] + 1) / popularityTotal) / denominator);
    }

    /// <summary>Saves the table as JSON at <paramref name="path"/> (written aside and renamed).</summary>
    public void Save(string path)
    {
        var file = new TransitionFile { Counts = _counts };
        foreach ((int from, Dictionary<int, int> row) in _next.OrderBy(pair => pair.Key))
        {
            foreach ((int to, int count) in row.OrderBy(pair => pair.Key))
            {
                file.From.Add(from);
                file.To.Add(to);
                file.Count.Add(count);
            }
        }
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(file));
    }

    /// <summary>Reads a table <see cref="Save"/> wrote for <paramref name="items"/> items.</summary>
    /// <exception cref="InvalidDataException">The file is malformed or belongs to another item set.</exception>
    public static TransitionTable Load(string path, int items)
    {
        TransitionFile file;
        try
        {
            file = JsonSerializer.Deserialize<TransitionFile>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: {ex.Message}");
        }
        if (file.Counts.Length != items)
            throw new InvalidDataException($"{path} counts {file.Counts.Length} items, the model has {items}.");
        if (file.From.Count != file.To.Count || file.From.Count != file.Count.Count)
            throw new InvalidDataException($"{path}: from, to and count have different lengths ({file.From.Count}, {file.To.Count}, {file.Count.Count}).");
        if (file.Counts.Any(c => c < 0)) throw new InvalidDataException($"{path}: an item count is negative.");
        var next = new Dictionary<int, Dictionary<int, int>>();
        for (int i = 0; i < file.From.Count; i++)
        {
            int from = file.From[i], to = file.To[i], count = file.Count[i];
            if ((uint)from >= (uint)items || (uint)to >= (uint)items || count <= 0)
                throw new InvalidDataException($"{path}: transition {i} ({from} → {to}, {count}) is outside the {items} items or not a positive count.");
            if (!next.TryGetValue(from, out Dictionary<int, int>? row)) next[from] = row = [];
            if (!row.TryAdd(to, count)) throw new InvalidDataException($"{path}: transition {from} → {to} is listed twice.");
        }
        return new TransitionTable(file.Counts, next);
    }

    private sealed class TransitionFile
    {
        [JsonPropertyName("counts")] public int[] Counts { get; init; } = [];
        [JsonPropertyName("from")] public List<int> From { get; init; } = [];
        [JsonPropertyName("to")] public List<int> To { get; init; } = [];
        [JsonPropertyName("count")] public List<int> Count { get; init; } = [];
    }
}
