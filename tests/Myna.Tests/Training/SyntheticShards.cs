using System.Text.Json;
using Myna.Text.Shards;

namespace Myna.Tests.Training;

/// <summary>
/// A token corpus from a fixed random Markov chain: every token has two equally likely successors, so the best
/// possible next-token loss is ln 2 ≈ 0.69 nats while the unigram entropy is close to ln V. Written as shard files
/// with a meta.json, exactly as <c>myna shard</c> lays them out (the training split across two files).
/// </summary>
internal sealed class SyntheticShards
{
    public const int Successors = 2;

    private SyntheticShards(string directory, int vocabSize, int[] train, int[] val)
    {
        Directory = directory;
        VocabSize = vocabSize;
        TrainTokens = train;
        ValTokens = val;
    }

    public string Directory { get; }

    public int VocabSize { get; }

    public int[] TrainTokens { get; }

    public int[] ValTokens { get; }

    /// <summary>Entropy (nats) of the token frequencies of the validation split: the loss of the best model that ignores context.</summary>
    public double UnigramEntropy
    {
        get
        {
            var counts = new long[VocabSize];
            foreach (int t in ValTokens) counts[t]++;
            double h = 0;
            foreach (long c in counts)
                if (c > 0) h -= (double)c / ValTokens.Length * Math.Log((double)c / ValTokens.Length);
            return h;
        }
    }

    /// <summary>The chain's conditional entropy: the loss floor of a model that sees the previous token.</summary>
    public static double ChainEntropy => Math.Log(Successors);

    public static SyntheticShards Create(string directory, int vocabSize = 32, int trainTokens = 40_000, int valTokens = 4_000, ulong seed = 7, string fingerprint = "synthetic-chain")
    {
        var rng = new Random((int)seed);
        var next = new int[vocabSize, Successors];
        for (int t = 0; t < vocabSize; t++)
            for (int s = 0; s < Successors; s++) next[t, s] = rng.Next(vocabSize);
        int[] Walk(int count)
        {
            var tokens = new int[count];
            int current = rng.Next(vocabSize);
            for (int i = 0; i < count; i++)
            {
                tokens[i] = current;
                current = next[current, rng.Next(Successors)];
            }
            return tokens;
        }
        int[] train = Walk(trainTokens), val = Walk(valTokens);
        System.IO.Directory.CreateDirectory(directory);
        var meta = new ShardMeta
        {
            Tokenizer = new ShardMeta.TokenizerInfo { Name = "synthetic", Fingerprint = fingerprint, VocabSize = vocabSize, EndOfTextId = vocabSize - 1 },
            TokenWidth = 2,
            ValFraction = (double)valTokens / (trainTokens + valTokens),
        };
        int half = trainTokens / 2;
        Write(directory, "train-00000.bin", train.AsSpan(0, half), vocabSize, meta.Train);
        Write(directory, "train-00001.bin", train.AsSpan(half), vocabSize, meta.Train);
        Write(directory, "val-00000.bin", val, vocabSize, meta.Val);
        meta.Sources.Add("synthetic Markov chain (tests/Myna.Tests/Training/SyntheticShards.cs)");
        File.WriteAllText(Path.Combine(directory, "meta.json"), JsonSerializer.Serialize(meta));
        return new SyntheticShards(directory, vocabSize, train, val);
    }

    private static void Write(string directory, string file, ReadOnlySpan<int> tokens, int vocabSize, ShardMeta.SplitInfo split)
    {
        using (var writer = new TokenShardWriter(Path.Combine(directory, file), vocabSize))
        {
            writer.Write(tokens);
            writer.Complete();
        }
        split.Files.Add(file);
        split.Tokens += tokens.Length;
        split.Documents++;
    }
}
