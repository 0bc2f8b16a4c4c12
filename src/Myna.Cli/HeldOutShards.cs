using System.Text.Json;
using Myna.Text.Shards;
using Myna.Training;

namespace Myna.Cli;

/// <summary>The held-out tokens of a `myna shard` folder: its validation split, or its training split when it has none.</summary>
internal static class HeldOutShards
{
    /// <summary>meta.json and the tokens of the split, read through the trainer's validated shard reader.</summary>
    /// <exception cref="CliException">No meta.json, an unreadable one, or a missing or malformed shard.</exception>
    public static (ShardMeta Meta, int[] Tokens) Read(string directory)
    {
        string metaPath = Path.Combine(directory, TrainingData.MetaFileName);
        if (!File.Exists(metaPath)) throw new CliException($"'{directory}' is a directory without meta.json; pass a text file or a `myna shard` output directory.");
        ShardMeta meta;
        try
        {
            meta = JsonSerializer.Deserialize<ShardMeta>(File.ReadAllText(metaPath)) ?? throw new CliException($"{metaPath}: empty or not a shard description.");
        }
        catch (JsonException ex)
        {
            throw new CliException($"{metaPath} is not a valid shard meta.json: {ex.Message}");
        }
        List<string> files = meta.Val.Files.Count > 0 ? meta.Val.Files : meta.Train.Files;
        if (files.Count == 0) throw new CliException($"'{directory}': meta.json lists no shards.");
        try
        {
            using ShardSplit split = ShardSplit.Open(directory, files, meta.Tokenizer.VocabSize);
            var tokens = new int[split.Count];
            split.CopyTo(0, tokens);
            return (meta, tokens);
        }
        catch (TrainingOptionsException ex)
        {
            throw new CliException(ex.Message);
        }
    }
}
