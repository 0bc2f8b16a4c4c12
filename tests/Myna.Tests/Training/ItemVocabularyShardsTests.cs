using System.Text.Json;
using Myna.Text.Shards;
using Myna.Training;

namespace Myna.Tests.Training;

/// <summary>Shards whose ids are items (a recommender's) train without a tokenizer; text shards are unchanged.</summary>
public sealed class ItemVocabularyShardsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("myna-items-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string WriteItemShards()
    {
        string data = Path.Combine(_root, "data");
        Directory.CreateDirectory(data);
        var random = new Random(3);
        using (var writer = new TokenShardWriter(Path.Combine(data, "train-00000.bin"), 41))
        {
            writer.Write([.. Enumerable.Range(0, 3000).Select(_ => random.Next(41))]);
            writer.Complete();
        }
        var meta = new ShardMeta
        {
            Tokenizer = new ShardMeta.TokenizerInfo { Name = "items", Kind = ShardMeta.TokenizerInfo.ItemsKind, Fingerprint = "abc", VocabSize = 41, EndOfTextId = 40 },
            Train = new ShardMeta.SplitInfo { Tokens = 3000, Files = ["train-00000.bin"] },
        };
        File.WriteAllText(Path.Combine(data, TrainingData.MetaFileName), JsonSerializer.Serialize(meta));
        return data;
    }

    [Fact]
    public void Item_shards_train_with_no_tokenizer_note_and_refuse_a_tokenizer()
    {
        string data = WriteItemShards();
        var options = new TrainingOptions
        {
            Data = data, Out = Path.Combine(_root, "out"), Layers = 1, Heads = 2, EmbeddingSize = 16, SequenceLength = 16, BatchSize = 2,
            MaxSteps = 3, EvalInterval = 0, CheckpointInterval = 0,
        };
        TrainingResult result = new Trainer(options).Run();
        Assert.Equal(3, result.Step);
        Assert.DoesNotContain(result.Notes, note => note.Contains("tokenizer", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(result.Checkpoint, "tokenizer.json")));

        using TrainingData opened = TrainingData.Open(data);
        Assert.Null(opened.ResolveTokenizerDirectory(null));
        Assert.Contains("item ids", Assert.Throws<TrainingOptionsException>(() => opened.ResolveTokenizerDirectory(_root)).Message);
    }

    [Fact]
    public void Text_shard_meta_is_written_without_a_kind_and_read_as_text()
    {
        var meta = new ShardMeta { Tokenizer = new ShardMeta.TokenizerInfo { Name = "gpt2", Fingerprint = "f", VocabSize = 50257, EndOfTextId = 50256 } };
        string json = JsonSerializer.Serialize(meta);
        Assert.DoesNotContain("\"kind\"", json);
        Assert.False(JsonSerializer.Deserialize<ShardMeta>(json)!.Tokenizer.IsItemVocabulary);
    }
}
