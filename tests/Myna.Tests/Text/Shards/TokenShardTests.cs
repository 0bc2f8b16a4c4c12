using Myna.Text.Shards;

namespace Myna.Tests.Text.Shards;

public class TokenShardTests
{
    [Theory]
    [InlineData(50257, 2)]
    [InlineData(65536, 2)]
    [InlineData(70000, 4)]
    public void WriteThenMapRoundTrips(int vocabSize, int width)
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "s.bin");
        int[] tokens = Enumerable.Range(0, 6 * 512 + 7).Select(i => (int)((i * 2654435761L) % vocabSize)).ToArray();
        using (var writer = new TokenShardWriter(path, vocabSize))
        {
            writer.Write(tokens.AsSpan(0, 100));
            writer.Write(tokens.AsSpan(100));
            writer.Complete();
        }
        Assert.False(File.Exists(path + ".tmp"));
        Assert.Equal(TokenShardFormat.HeaderBytes + tokens.Length * width, new FileInfo(path).Length);
        using TokenShard shard = TokenShard.Open(path);
        Assert.Equal(tokens.Length, shard.Count);
        Assert.Equal(width, shard.TokenWidth);
        Assert.Equal(vocabSize, shard.VocabSize);
        Assert.Equal(tokens, shard.ToArray());
        Assert.Equal(tokens[1234], shard[1234]);
        var slice = new int[10];
        shard.CopyTo(3000, slice);
        Assert.Equal(tokens.AsSpan(3000, 10).ToArray(), slice);
        byte[] bytes = File.ReadAllBytes(path);
        Assert.Equal("MYNATOKS"u8.ToArray(), bytes[..8]);
        Assert.Equal((byte)(tokens.Length & 0xFF), bytes[16]); // little-endian count
    }

    [Fact]
    public void BadFilesAreRefused()
    {
        using var dir = new TempFolder();
        string junk = dir.Write("junk.bin", new string('x', 100));
        Assert.Throws<InvalidDataException>(() => TokenShard.Open(junk));
        string path = Path.Combine(dir.Path, "s.bin");
        using (var writer = new TokenShardWriter(path, 100)) { writer.Write([1, 2, 3]); writer.Complete(); }
        using (var stream = new FileStream(path, FileMode.Open)) stream.SetLength(stream.Length - 1);
        Assert.Throws<InvalidDataException>(() => TokenShard.Open(path));
        using var bad = new TokenShardWriter(Path.Combine(dir.Path, "b.bin"), 10);
        Assert.Throws<ArgumentOutOfRangeException>(() => bad.Write([10]));
    }

    [Theory]
    [InlineData(300, 2)]
    [InlineData(70000, 4)]
    public void AnIdOutsideTheVocabularyIsFoundWhenTheShardOpens(int vocabSize, int width)
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "s.bin");
        int[] tokens = Enumerable.Range(0, 5000).Select(i => i % vocabSize).ToArray();
        using (var writer = new TokenShardWriter(path, vocabSize)) { writer.Write(tokens); writer.Complete(); }
        using (TokenShard valid = TokenShard.Open(path)) Assert.Null(valid.FindIdOutsideVocabulary());

        // Corrupt token 4321 on disk to the vocabulary size itself, the smallest invalid id.
        using (var stream = new FileStream(path, FileMode.Open))
        {
            stream.Position = TokenShardFormat.HeaderBytes + 4321L * width;
            stream.Write(width == 2 ? BitConverter.GetBytes((ushort)vocabSize) : BitConverter.GetBytes((uint)vocabSize));
        }
        var refused = Assert.Throws<InvalidDataException>(() => TokenShard.Open(path));
        Assert.Contains("4,321", refused.Message);
        Assert.Contains($"id {vocabSize}", refused.Message);
        Assert.Contains("myna shard", refused.Message);
    }

    [Fact]
    public void UncompletedShardLeavesNothing()
    {
        using var dir = new TempFolder();
        string path = Path.Combine(dir.Path, "s.bin");
        using (var writer = new TokenShardWriter(path, 100)) writer.Write([1, 2]);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void SplitIsDeterministicAndNearTheFraction()
    {
        string[] docs = Enumerable.Range(0, 2000).Select(i => $"document number {i}").ToArray();
        int val = docs.Count(d => ShardBuilder.IsValidation(d, 0.1));
        Assert.InRange(val, 150, 250);
        Assert.Equal(val, docs.Count(d => ShardBuilder.IsValidation(d, 0.1)));
        Assert.DoesNotContain(docs, d => ShardBuilder.IsValidation(d, 0));
    }
}

public class ShardBuilderTests
{
    [Fact]
    public void SameBytesWhateverTheThreadCount()
    {
        using var dir = new TempFolder();
        var lines = Enumerable.Range(0, 600).Select(i => System.Text.Json.JsonSerializer.Serialize(new { text = MixedCorpus.English(i) + " " + MixedCorpus.Chinese(i) }));
        dir.Write("clean/part-00000.jsonl", string.Join('\n', lines) + "\n");
        string Build(string name, int threads)
        {
            string outDir = Path.Combine(dir.Path, name);
            new ShardBuilder(new ShardOptions { Inputs = [Path.Combine(dir.Path, "clean")], OutputDirectory = outDir, ValFraction = 0.1, Threads = threads, TokensPerShard = 20_000 },
                Myna.Text.Tokenization.GptTokenizer.Gpt2()).Run();
            return string.Join('|', Directory.GetFiles(outDir, "*.bin").Order().Select(f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f)))));
        }
        string one = Build("one", 1), two = Build("two", 2);
        Assert.Equal(one, two);
        Assert.True(one.Split('|').Length > 2, "the shard size limit starts new files");
    }
}
