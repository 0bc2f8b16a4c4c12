using Myna.Text.Shards;

namespace Myna.Training;

/// <summary>
/// One split (train or val) of a shard folder as a single token stream: its shard files memory-mapped and read as if
/// concatenated in meta.json's order.
/// </summary>
public sealed class ShardSplit : IDisposable
{
    private readonly TokenShard[] _shards;
    private readonly long[] _starts; // first stream index of each shard

    private ShardSplit(TokenShard[] shards)
    {
        _shards = shards;
        _starts = new long[shards.Length];
        long total = 0;
        for (int i = 0; i < shards.Length; i++)
        {
            _starts[i] = total;
            total += shards[i].Count;
        }
        Count = total;
    }

    /// <summary>Tokens in the split.</summary>
    public long Count { get; }

    /// <summary>Opens the files of a split, named relative to <paramref name="directory"/>.</summary>
    /// <exception cref="TrainingOptionsException">A file is missing, not a shard, or its vocabulary differs from <paramref name="vocabSize"/>.</exception>
    public static ShardSplit Open(string directory, IEnumerable<string> files, int vocabSize)
    {
        var shards = new List<TokenShard>();
        try
        {
            foreach (string file in files)
            {
                string path = Path.Combine(directory, file);
                if (!File.Exists(path)) throw new TrainingOptionsException($"shard '{path}' listed in meta.json does not exist; re-run `myna shard`.");
                TokenShard shard;
                try
                {
                    shard = TokenShard.Open(path);
                }
                catch (InvalidDataException ex)
                {
                    throw new TrainingOptionsException(ex.Message);
                }
                shards.Add(shard);
                if (shard.VocabSize != vocabSize)
                    throw new TrainingOptionsException($"shard '{path}' has vocabulary {shard.VocabSize}, meta.json says {vocabSize}; re-run `myna shard`.");
            }
        }
        catch
        {
            foreach (TokenShard shard in shards) shard.Dispose();
            throw;
        }
        return new ShardSplit([.. shards]);
    }

    /// <summary>Copies <paramref name="destination"/>.Length tokens from stream index <paramref name="start"/>, across shard boundaries.</summary>
    public void CopyTo(long start, Span<int> destination)
    {
        if (start < 0 || start + destination.Length > Count) throw new ArgumentOutOfRangeException(nameof(start));
        int shard = Array.BinarySearch(_starts, start);
        if (shard < 0) shard = ~shard - 1;
        while (destination.Length > 0)
        {
            while (start - _starts[shard] >= _shards[shard].Count) shard++; // skips empty shards
            long offset = start - _starts[shard];
            int take = (int)Math.Min(destination.Length, _shards[shard].Count - offset);
            _shards[shard].CopyTo(offset, destination[..take]);
            destination = destination[take..];
            start += take;
        }
    }

    public void Dispose()
    {
        foreach (TokenShard shard in _shards) shard.Dispose();
    }
}
