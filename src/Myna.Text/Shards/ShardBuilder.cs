using System.Diagnostics;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using Myna.Text.Corpus;
using Myna.Text.Tokenization;

using Myna.Text.Output;

namespace Myna.Text.Shards;

/// <summary>Tokenises a corpus into train-NNNNN.bin / val-NNNNN.bin token shards plus meta.json. Documents are
/// tokenised in parallel and written in input order, each preceded by the end-of-text token (GPT-2's convention, as in
/// llm.c's data scripts), so the output is the same bytes on every run.</summary>
public sealed class ShardBuilder(ShardOptions options, GptTokenizer tokenizer)
{
    /// <summary>Documents per parallel work item.</summary>
    private const int Batch = 64;

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>True when the document with this text belongs to the validation split.</summary>
    public static bool IsValidation(string text, double valFraction)
    {
        if (valFraction <= 0) return false;
        ulong hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text.AsSpan()));
        return (hash >> 11) * (1.0 / (1UL << 53)) < valFraction;
    }

    /// <summary>Builds the shards; returns (and writes) meta.json's content.</summary>
    /// <exception cref="InvalidOperationException">The tokenizer has no end-of-text token.</exception>
    public ShardMeta Run(IProgress<CorpusProgress>? progress = null)
    {
        // The run owns its output: staged aside and swapped in, so no shard of an earlier run survives beside meta.json.
        using OutputFolder output = OutputFolder.Begin(options.OutputDirectory, options.Inputs, options.ReplaceOutput);
        ShardMeta meta = Build(options with { OutputDirectory = output.Staging }, progress);
        output.Commit();
        return meta;
    }

    private ShardMeta Build(ShardOptions options, IProgress<CorpusProgress>? progress)
    {
        long totalBytes = CorpusReader.TotalBytes(options.Inputs);
        var clock = Stopwatch.StartNew();
        int eot = tokenizer.EndOfTextId ?? throw new InvalidOperationException(
            $"tokenizer '{tokenizer.Name}' has no {GptTokenizer.EndOfText} token to separate documents; train one with `myna tokenizer train` (it always adds it)");
        var meta = new ShardMeta
        {
            Tokenizer = new ShardMeta.TokenizerInfo { Name = tokenizer.Name, Fingerprint = tokenizer.Fingerprint, VocabSize = tokenizer.VocabSize, EndOfTextId = eot },
            TokenWidth = TokenShardFormat.WidthFor(tokenizer.VocabSize),
            ValFraction = options.ValFraction,
        };

        var reader = new CorpusReader(new CorpusOptions());
        long skipped = 0;
        SkippedInput? firstSkip = null;
        reader.Skipped += skip =>
        {
            Interlocked.CompareExchange(ref firstSkip, skip, null);
            Interlocked.Increment(ref skipped);
        };
        var sources = new SortedSet<string>(StringComparer.Ordinal);
        var train = new SplitWriter(options, "train", tokenizer.VocabSize, meta.Train);
        var val = new SplitWriter(options, "val", tokenizer.VocabSize, meta.Val);
        try
        {
            long done = 0;
            IEnumerable<(bool Val, int[] Tokens)> encoded = OrderedParallel.Map(
                reader.Read(options.Inputs).Select(d => { sources.Add(d.Source); return d.Text; }),
                text => (IsValidation(text, options.ValFraction), tokenizer.Encode(text)),
                options.Threads, Batch);
            int[] separator = [eot];
            foreach ((bool isVal, int[] tokens) in encoded)
            {
                SplitWriter split = isVal ? val : train;
                split.Write(separator, tokens);
                if (++done % 1000 == 0) progress?.Report(new("tokenizing", reader.BytesRead, totalBytes, done));
            }
            if (done == 0) throw EmptyCorpus.Refusal(options.Inputs, skipped, firstSkip);
            train.Complete();
            val.Complete();
        }
        finally
        {
            train.Dispose();
            val.Dispose();
        }

        meta.Sources.AddRange(sources);
        meta.Skipped = skipped;
        meta.Seconds = Math.Round(clock.Elapsed.TotalSeconds, 3);
        AtomicFile.WriteAllText(Path.Combine(options.OutputDirectory, "meta.json"), JsonSerializer.Serialize(meta, Indented));
        return meta;
    }

    /// <summary>Writes one split's shards, rolling over at the shard size (between documents, never inside one).</summary>
    private sealed class SplitWriter(ShardOptions options, string name, int vocabSize, ShardMeta.SplitInfo info) : IDisposable
    {
        private TokenShardWriter? _current;

        public void Write(int[] separator, int[] tokens)
        {
            if (_current is null || _current.Count >= options.TokensPerShard)
            {
                _current?.Complete();
                _current?.Dispose();
                string file = $"{name}-{info.Files.Count:D5}.bin";
                info.Files.Add(file);
                _current = new TokenShardWriter(Path.Combine(options.OutputDirectory, file), vocabSize);
            }
            _current.Write(separator);
            _current.Write(tokens);
            info.Documents++;
            info.Tokens += separator.Length + tokens.Length;
        }

        public void Complete()
        {
            _current?.Complete();
        }

        public void Dispose() => _current?.Dispose();
    }
}
