using System.Text.Json;
using Myna.Cli;
using Myna.Text.Shards;
using Myna.Text.Tokenization;

namespace Myna.Tests.Text;

/// <summary>prepare → tokenizer train → shard through the CLI on a corpus mixing every format with duplicates, PII and
/// junk: every count is accounted for and every kept document comes back out of the shards unchanged.</summary>
public class PipelineTests
{
    [Fact]
    public void MixedCorpusThroughPrepareTrainAndShard()
    {
        using var dir = new TempFolder();
        string raw = Path.Combine(dir.Path, "raw"), clean = Path.Combine(dir.Path, "clean");
        string tok = Path.Combine(dir.Path, "tok"), shards = Path.Combine(dir.Path, "shards");
        MixedCorpus.Expected expected = MixedCorpus.Write(raw);

        JsonElement Run(params string[] args)
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            int code = MynaApp.Run([.. args, "--json"], stdout, stderr);
            Assert.True(code == 0, $"{string.Join(' ', args)}: {stderr}");
            return JsonDocument.Parse(stdout.ToString()).RootElement.Clone();
        }

        JsonElement report = Run("prepare", "--input", raw, "--out", clean, "--split", "paragraphs", "--redact-pii");
        long kept = report.GetProperty("documents_kept").GetInt64();
        Assert.Equal(expected.Kept, kept);
        Assert.Equal(report.GetProperty("documents_read").GetInt64(), kept + report.GetProperty("dropped").EnumerateObject().Sum(p => p.Value.GetInt64()));

        JsonElement trained = Run("tokenizer", "train", "--input", clean, "--vocab-size", "600", "--out", tok);
        Assert.Equal(kept, trained.GetProperty("documents").GetInt64());

        JsonElement meta = Run("shard", "--input", clean, "--tokenizer", tok, "--out", shards, "--val-fraction", "0.2");
        long trainDocs = meta.GetProperty("train").GetProperty("documents").GetInt64();
        long valDocs = meta.GetProperty("val").GetProperty("documents").GetInt64();
        Assert.Equal(kept, trainDocs + valDocs);
        Assert.True(valDocs > 0 && trainDocs > 0);

        // Every kept document round-trips: shards split at <|endoftext|> decode to the prepared texts, in order.
        GptTokenizer tokenizer = GptTokenizer.FromDirectory(tok);
        Assert.Equal(tokenizer.Fingerprint, meta.GetProperty("tokenizer").GetProperty("fingerprint").GetString());
        int eot = tokenizer.EndOfTextId!.Value;
        List<string> texts = Directory.GetFiles(clean, "part-*.jsonl").Order().SelectMany(File.ReadLines)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToList();
        List<string> decoded = [];
        long tokens = 0;
        foreach (string split in new[] { "train", "val" })
        {
            foreach (JsonElement file in meta.GetProperty(split).GetProperty("files").EnumerateArray())
            {
                using TokenShard shard = TokenShard.Open(Path.Combine(shards, file.GetString()!));
                Assert.Equal(2, shard.TokenWidth);
                int[] ids = shard.ToArray();
                tokens += ids.Length;
                Assert.Equal(eot, ids[0]);
                int start = 1;
                for (int i = 1; i <= ids.Length; i++)
                {
                    if (i < ids.Length && ids[i] != eot) continue;
                    decoded.Add(tokenizer.Decode(ids.AsSpan(start, i - start)));
                    start = i + 1;
                }
            }
        }
        Assert.Equal(meta.GetProperty("train").GetProperty("tokens").GetInt64() + meta.GetProperty("val").GetProperty("tokens").GetInt64(), tokens);
        Assert.Equal(texts.Order(StringComparer.Ordinal), decoded.Order(StringComparer.Ordinal));
        foreach (string text in texts) Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }
}
