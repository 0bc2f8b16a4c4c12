using System.Text;
using System.Text.Json;
using Myna.Cli;
using Myna.Text.Tokenization;
using Myna.Text.Tokenization.Training;

namespace Myna.Tests.Text.Tokenization.Training;

public class BpeTrainerTests
{
    private static string Corpus(int documents, int seed = 7)
    {
        var random = new Random(seed);
        string[] words = ["hello", "world", "token", "tokenizer", "training", "the", "model", "learns", "merges", "from", "text",
            "数据", "模型", "训练", "café", "naïve", "2024", "emoji 🙂", "don't", "it's"];
        var text = new StringBuilder();
        for (int d = 0; d < documents; d++)
        {
            for (int w = 0; w < 30; w++) text.Append(words[random.Next(words.Length)]).Append(random.Next(8) == 0 ? ". " : " ");
            text.Append('\n');
        }
        return text.ToString();
    }

    [Fact]
    public void LearnsTheTextbookMerges()
    {
        // The Hugging Face course example: hug×10, pug×5, pun×12, bun×4, hugs×5.
        var counts = new Dictionary<string, long> { ["hug"] = 10, ["pug"] = 5, ["pun"] = 12, ["bun"] = 4, ["hugs"] = 5 };
        TrainedBpe bpe = new BpeTrainer(new BpeTrainerOptions { VocabSize = 256 + 3 + 1, MinFrequency = 1 }).Train(counts);
        Assert.Equal([("u", "g"), ("u", "n"), ("h", "ug")], bpe.Merges);
        Assert.Equal(["ug", "un", "hug", GptTokenizer.EndOfText], bpe.Tokens.Skip(256));
    }

    [Fact]
    public void ByteTokensFollowGpt2Order()
    {
        TrainedBpe bpe = new BpeTrainer(new BpeTrainerOptions { VocabSize = 257 }).Train(new Dictionary<string, long>());
        Assert.Equal("!", bpe.Tokens[0]);
        Assert.Equal("Ā", bpe.Tokens[188]); // byte 0, as in GPT-2's vocab.json
        Assert.Equal("Ġ", bpe.Tokens[220]); // the space byte
        Assert.Equal(GptTokenizer.EndOfText, bpe.Tokens[256]);
    }

    [Fact]
    public void IncrementalCountsMatchANaiveRecount()
    {
        var counter = new WordCounter([GptTokenizer.EndOfText]);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        counter.CountInto(Corpus(40, seed: 3), counts);
        TrainedBpe fast = new BpeTrainer(new BpeTrainerOptions { VocabSize = 400, MinFrequency = 2 }).Train(counts);
        List<(string, string)> naive = NaiveMerges(counts, fast.Merges.Count, 2);
        Assert.Equal(naive, fast.Merges);
    }

    /// <summary>The textbook algorithm: recount every pair before each merge; same tie-break (smaller ids first).</summary>
    private static List<(string, string)> NaiveMerges(Dictionary<string, long> counts, int maxMerges, long minFrequency)
    {
        var tokens = Enumerable.Range(0, 256).Select(b => ByteLevelAlphabet.ToChar((byte)b)).Order().Select(c => c.ToString()).ToList();
        var id = tokens.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        var words = counts.OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => (Symbols: Encoding.UTF8.GetBytes(kv.Key).Select(b => id[ByteLevelAlphabet.ToChar(b).ToString()]).ToList(), kv.Value)).ToList();
        var merges = new List<(string, string)>();
        while (merges.Count < maxMerges)
        {
            var pairs = new Dictionary<(int, int), long>();
            foreach (var (symbols, count) in words)
                for (int i = 0; i + 1 < symbols.Count; i++) pairs[(symbols[i], symbols[i + 1])] = pairs.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
            if (pairs.Count == 0) break;
            var best = pairs.OrderByDescending(p => p.Value).ThenBy(p => p.Key.Item1).ThenBy(p => p.Key.Item2).First();
            if (best.Value < minFrequency) break;
            string text = tokens[best.Key.Item1] + tokens[best.Key.Item2];
            if (!id.TryGetValue(text, out int merged)) { merged = tokens.Count; id[text] = merged; tokens.Add(text); }
            merges.Add((tokens[best.Key.Item1], tokens[best.Key.Item2]));
            foreach (var (symbols, _) in words)
                for (int i = 0; i + 1 < symbols.Count; i++)
                    if (symbols[i] == best.Key.Item1 && symbols[i + 1] == best.Key.Item2) { symbols[i] = merged; symbols.RemoveAt(i + 1); }
        }
        return merges;
    }

    [Fact]
    public void TrainedDirectoryLoadsAndRoundTrips()
    {
        using var dir = new TempFolder();
        string corpus = dir.Write("corpus.txt", Corpus(200));
        string outDir = Path.Combine(dir.Path, "tok");
        TokenizerTrainingSummary summary = TokenizerTrainingRun.Run([corpus], outDir,
            new BpeTrainerOptions { VocabSize = 340, SpecialTokens = [GptTokenizer.EndOfText, "<|pad|>"] });
        Assert.Equal(340, summary.VocabSize);

        Assert.StartsWith("#version: 0.2\n", File.ReadAllText(Path.Combine(outDir, "merges.txt")));
        using (var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "tokenizer.json"))))
        {
            JsonElement root = json.RootElement;
            Assert.Equal("BPE", root.GetProperty("model").GetProperty("type").GetString());
            Assert.Equal("ByteLevel", root.GetProperty("pre_tokenizer").GetProperty("type").GetString());
            Assert.Equal("ByteLevel", root.GetProperty("decoder").GetProperty("type").GetString());
            Assert.Equal([338, 339], root.GetProperty("added_tokens").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
        }

        GptTokenizer tokenizer = GptTokenizer.FromDirectory(outDir);
        Assert.Equal(340, tokenizer.VocabSize);
        Assert.Equal(338, tokenizer.EndOfTextId);
        foreach (string s in new[] { "hello world", " the tokenizer learns merges from text.", "训练数据模型", "emoji 🙂 café naïve",
                     "Unseen: Ωmega ≠ 42\t\n  spaces", "" })
            Assert.Equal(s, tokenizer.Decode(tokenizer.Encode(s)));
        // Merges are applied: frequent words are single tokens.
        Assert.Single(tokenizer.Encode(" world"));
        Assert.Single(tokenizer.Encode(" tokenizer"));
        Assert.True(tokenizer.Encode(" hello world the model").Length < " hello world the model".Length / 2);
        Assert.Equal([338], tokenizer.Encode(GptTokenizer.EndOfText, allowSpecial: true));
    }

    [Fact]
    public void SameCorpusSameFiles()
    {
        using var dir = new TempFolder();
        string corpus = dir.Write("corpus.txt", Corpus(100));
        string Train(string name)
        {
            string outDir = Path.Combine(dir.Path, name);
            TokenizerTrainingRun.Run([corpus], outDir, new BpeTrainerOptions { VocabSize = 350, Threads = name == "a" ? 1 : 2 });
            return File.ReadAllText(Path.Combine(outDir, "tokenizer.json"));
        }
        Assert.Equal(Train("a"), Train("b"));
    }

    [Fact]
    public void CliTrainsAndReports()
    {
        using var dir = new TempFolder();
        dir.Write("c/a.txt", Corpus(50));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string outDir = Path.Combine(dir.Path, "tok");
        int code = MynaApp.Run(["tokenizer", "train", "--input", Path.Combine(dir.Path, "c"), "--vocab-size", "300", "--special", "<|user|>", "--out", outDir, "--json"], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        using var json = JsonDocument.Parse(stdout.ToString());
        Assert.Equal(300, json.RootElement.GetProperty("vocab_size").GetInt32());
        Assert.True(File.Exists(Path.Combine(outDir, "vocab.json")));
        Assert.Equal(MynaApp.UsageError, MynaApp.Run(["tokenizer", "train", "--input", Path.Combine(dir.Path, "c"), "--vocab-size", "100", "--out", outDir], new StringWriter(), new StringWriter()));
    }
}
