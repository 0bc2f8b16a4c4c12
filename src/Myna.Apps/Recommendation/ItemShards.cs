using System.Text.Json;
using Myna.Text.Shards;
using Myna.Training;
using Myna.Text.Output;

namespace Myna.Apps.Recommendation;

/// <summary>
/// Writes a dataset's training parts as token shards the ordinary trainer reads: one stream of users, each preceded by
/// the end-of-sequence token (as documents are by end-of-text), with meta.json saying the ids are items
/// (<see cref="ShardMeta.TokenizerInfo.ItemsKind"/>), so no tokenizer is looked for. Only training parts are written: the validation
/// and test items never reach the model. The validation split is empty; the recommender is judged by ranking, not loss.
/// </summary>
public static class ItemShards
{
    /// <summary>The training shard's file name.</summary>
    public const string TrainFileName = "train-00000.bin";

    /// <summary>Writes the shards into <paramref name="directory"/> (created) and returns meta.json's content.</summary>
    public static ShardMeta Write(SequentialDataset data, string directory)
    {
        Directory.CreateDirectory(directory);
        ItemVocabulary vocabulary = data.Vocabulary;
        long documents = 0;
        long tokens;
        using (var writer = new TokenShardWriter(Path.Combine(directory, TrainFileName), vocabulary.TokenCount))
        {
            foreach (UserSequence user in data.Users)
            {
                writer.Write([vocabulary.EndOfSequence]);
                writer.Write(user.Train);
                documents++;
            }
            writer.Write([vocabulary.EndOfSequence]); // the last user's end, so its last item has a target
            writer.Complete();
            tokens = writer.Count;
        }
        var meta = new ShardMeta
        {
            Tokenizer = new ShardMeta.TokenizerInfo
            {
                Name = "items",
                Kind = ShardMeta.TokenizerInfo.ItemsKind,
                Fingerprint = vocabulary.Fingerprint(),
                VocabSize = vocabulary.TokenCount,
                EndOfTextId = vocabulary.EndOfSequence,
            },
            TokenWidth = TokenShardFormat.WidthFor(vocabulary.TokenCount),
            DocumentSeparator = "each user's training items are preceded by the end-of-sequence token",
            Train = new ShardMeta.SplitInfo { Documents = documents, Tokens = tokens, Files = [TrainFileName] },
            Sources = [$"{data.Users.Count} users, {data.Interactions} interactions"],
        };
        AtomicFile.WriteAllText(Path.Combine(directory, TrainingData.MetaFileName), JsonSerializer.Serialize(meta, new JsonSerializerOptions { WriteIndented = true }));
        return meta;
    }
}
