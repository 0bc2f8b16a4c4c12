using System.Text.Json;
using Myna.Text.Shards;
using Myna.Text.Tokenization;

namespace Myna.Training;

/// <summary>A shard folder opened for training: meta.json, both splits memory-mapped, and the tokenizer folder to ship with checkpoints.</summary>
public sealed class TrainingData : IDisposable
{
    /// <summary>The file <c>myna shard</c> writes beside the shards.</summary>
    public const string MetaFileName = "meta.json";

    private TrainingData(string directory, ShardMeta meta, ShardSplit train, ShardSplit val)
    {
        Directory = directory;
        Meta = meta;
        Train = train;
        Val = val;
    }

    /// <summary>The shard folder.</summary>
    public string Directory { get; }

    /// <summary>meta.json's content.</summary>
    public ShardMeta Meta { get; }

    /// <summary>Training tokens.</summary>
    public ShardSplit Train { get; }

    /// <summary>Validation tokens.</summary>
    public ShardSplit Val { get; }

    /// <summary>Reads meta.json and maps the shards it lists.</summary>
    /// <exception cref="TrainingOptionsException">The folder is not a shard folder, or a shard is missing or malformed.</exception>
    public static TrainingData Open(string directory)
    {
        string metaPath = Path.Combine(directory, MetaFileName);
        if (!File.Exists(metaPath))
            throw new TrainingOptionsException($"'{directory}' has no {MetaFileName}: give --data the folder `myna shard --out` wrote.");
        ShardMeta meta;
        try
        {
            meta = JsonSerializer.Deserialize<ShardMeta>(File.ReadAllText(metaPath))
                ?? throw new TrainingOptionsException($"{metaPath} is empty.");
        }
        catch (JsonException ex)
        {
            throw new TrainingOptionsException($"{metaPath} is not a valid shard meta.json: {ex.Message}");
        }
        ShardSplit train = ShardSplit.Open(directory, meta.Train.Files, meta.Tokenizer.VocabSize);
        try
        {
            return new TrainingData(directory, meta, train, ShardSplit.Open(directory, meta.Val.Files, meta.Tokenizer.VocabSize));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The tokenizer folder whose files checkpoints carry: <paramref name="explicitDirectory"/> when given, else the
    /// folder meta.json names (as written, or relative to the shard folder's parent); null for the built-in GPT-2
    /// vocabulary, an item vocabulary (no tokenizer files exist for it) or a folder that is gone. A folder whose tokenizer
    /// differs from the shards' is refused.
    /// </summary>
    /// <exception cref="TrainingOptionsException">The tokenizer is not the one the shards were made with, or one is given for item shards.</exception>
    public string? ResolveTokenizerDirectory(string? explicitDirectory)
    {
        if (Meta.Tokenizer.IsItemVocabulary)
        {
            return explicitDirectory is null
                ? null
                : throw new TrainingOptionsException($"the shards in '{Directory}' hold item ids, not text tokens: --tokenizer does not apply to them.");
        }
        string? candidate = explicitDirectory;
        if (candidate is null)
        {
            string name = Meta.Tokenizer.Name;
            if (string.Equals(name, GptTokenizer.Gpt2Name, StringComparison.OrdinalIgnoreCase)) return null;
            candidate = new[] { name, Path.Combine(Directory, "..", name), Path.Combine(Directory, name) }.FirstOrDefault(System.IO.Directory.Exists);
            if (candidate is null) return null;
        }
        CheckSameTokenizer(candidate, explicitDirectory is null ? "the tokenizer folder meta.json names," : "--tokenizer");
        return candidate;
    }

    /// <summary>Refuses a tokenizer folder that differs from the one the shards were made with, naming both.</summary>
    /// <exception cref="TrainingOptionsException">The fingerprints differ, or the folder has no readable tokenizer.</exception>
    public void CheckSameTokenizer(string tokenizerDirectory, string what)
    {
        GptTokenizer tokenizer;
        try
        {
            tokenizer = GptTokenizer.FromDirectory(tokenizerDirectory);
        }
        catch (TokenizerFormatException ex)
        {
            throw new TrainingOptionsException($"{what} '{tokenizerDirectory}': {ex.Message}");
        }
        if (!string.Equals(tokenizer.Fingerprint, Meta.Tokenizer.Fingerprint, StringComparison.OrdinalIgnoreCase))
            throw new TrainingOptionsException(
                $"the shards in '{Directory}' were made with tokenizer '{Meta.Tokenizer.Name}' (hash {Short(Meta.Tokenizer.Fingerprint)}), " +
                $"but {what} '{tokenizerDirectory}' has tokenizer hash {Short(tokenizer.Fingerprint)}; re-shard the corpus with that tokenizer " +
                $"(`myna shard --tokenizer {tokenizerDirectory}`).");
    }

    private static string Short(string fingerprint) => fingerprint.Length > 16 ? fingerprint[..16] : fingerprint;

    public void Dispose()
    {
        Train.Dispose();
        Val.Dispose();
    }
}
