using System.Text;
using Myna.Text.Corpus;

namespace Myna.Text.Tokenization.Training;

/// <summary>Learns a byte-level BPE vocabulary (GPT-2 style) from pre-token counts.</summary>
/// <remarks>
/// 1. Every word (pre-token) becomes its UTF-8 bytes, each a token; ids 0-255 are the bytes in the order of their
///    printable stand-ins (<see cref="ByteLevelAlphabet"/>), which is GPT-2's order ("!" = 0, ..., "Ā" (byte 0) = 188).
/// 2. Count every adjacent pair, weighted by word frequency, and index which words hold it.
/// 3. Repeatedly merge the most frequent pair — ties broken by the smaller (left id, right id), so runs are
///    deterministic — into a new token (or the existing token with the same text), updating only the counts of the
///    words that held the pair (a max-heap with lazy re-validation, as Hugging Face tokenizers does; no full recount).
/// 4. Stop at the vocabulary size (special tokens included, given the last ids) or when the best pair is rarer than
///    the minimum frequency.
/// </remarks>
public sealed class BpeTrainer(BpeTrainerOptions options)
{
    /// <summary>Trains on word counts (see <see cref="WordCounter"/>).</summary>
    public TrainedBpe Train(IReadOnlyDictionary<string, long> wordCounts, IProgress<CorpusProgress>? progress = null)
    {
        if (options.SpecialTokens.Any(string.IsNullOrEmpty))
            throw new ArgumentException("a special token (--special) may not be empty: it would match at every position of every text.", nameof(options));
        var specials = options.SpecialTokens.Contains(GptTokenizer.EndOfText)
            ? options.SpecialTokens.Distinct().ToList()
            : [.. options.SpecialTokens.Distinct(), GptTokenizer.EndOfText];
        int targetLearned = options.VocabSize - specials.Count;
        if (targetLearned < 256)
            throw new ArgumentOutOfRangeException(nameof(options), $"vocabulary size {options.VocabSize} leaves no room for the 256 byte tokens and {specials.Count} special token(s)");

        // 1. Byte tokens in GPT-2 order.
        var tokens = new List<string>(targetLearned);
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var byteId = new int[256];
        foreach (int b in Enumerable.Range(0, 256).OrderBy(b => ByteLevelAlphabet.ToChar((byte)b)))
        {
            byteId[b] = tokens.Count;
            ids[ByteLevelAlphabet.ToChar((byte)b).ToString()] = tokens.Count;
            tokens.Add(ByteLevelAlphabet.ToChar((byte)b).ToString());
        }

        // Words in ordinal order so that everything downstream is independent of dictionary iteration order.
        var entries = wordCounts.Where(kv => kv.Value > 0).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToArray();
        var words = new int[entries.Length][];
        var counts = new long[entries.Length];
        for (int w = 0; w < entries.Length; w++)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(entries[w].Key);
            words[w] = Array.ConvertAll(bytes, b => byteId[b]);
            counts[w] = entries[w].Value;
        }

        // 2. Pair counts and where each pair occurs.
        var pairCounts = new Dictionary<long, long>();
        var pairWords = new Dictionary<long, HashSet<int>>();
        for (int w = 0; w < words.Length; w++)
        {
            int[] symbols = words[w];
            for (int i = 0; i + 1 < symbols.Length; i++)
            {
                long pair = Pair(symbols[i], symbols[i + 1]);
                pairCounts[pair] = pairCounts.GetValueOrDefault(pair) + counts[w];
                if (!pairWords.TryGetValue(pair, out HashSet<int>? set)) pairWords[pair] = set = [];
                set.Add(w);
            }
        }
        var heap = new PriorityQueue<long, (long Count, long Pair)>(Comparer<(long Count, long Pair)>.Create(
            (x, y) => x.Count != y.Count ? y.Count.CompareTo(x.Count) : x.Pair.CompareTo(y.Pair)));
        foreach (var (pair, count) in pairCounts) heap.Enqueue(pair, (count, pair));

        // 3. Merge.
        var merges = new List<(int Left, int Right)>();
        var changed = new Dictionary<long, long>();
        while (tokens.Count < targetLearned && heap.TryDequeue(out long best, out var priority))
        {
            long current = pairCounts.GetValueOrDefault(best);
            if (current != priority.Count)
            {
                if (current > 0) heap.Enqueue(best, (current, best)); // stale entry: re-queue with the true count
                continue;
            }
            if (current < Math.Max(1, options.MinFrequency)) break;

            int left = (int)(best >> 32), right = (int)(best & 0xFFFFFFFF);
            string text = tokens[left] + tokens[right];
            if (!ids.TryGetValue(text, out int merged))
            {
                merged = tokens.Count;
                ids[text] = merged;
                tokens.Add(text);
            }
            merges.Add((left, right));
            if (merges.Count % 256 == 0) progress?.Report(new("merging", tokens.Count - 256, targetLearned - 256, 0));

            changed.Clear();
            foreach (int w in pairWords[best].Order())
            {
                int[] symbols = words[w];
                if (!Contains(symbols, left, right)) continue;
                long c = counts[w];
                for (int i = 0; i + 1 < symbols.Length; i++) Add(changed, Pair(symbols[i], symbols[i + 1]), -c);
                symbols = words[w] = Apply(symbols, left, right, merged);
                for (int i = 0; i + 1 < symbols.Length; i++)
                {
                    long pair = Pair(symbols[i], symbols[i + 1]);
                    Add(changed, pair, c);
                    if (!pairWords.TryGetValue(pair, out HashSet<int>? set)) pairWords[pair] = set = [];
                    set.Add(w);
                }
            }
            pairWords.Remove(best);
            foreach (var (pair, delta) in changed)
            {
                if (delta == 0) continue;
                long updated = pairCounts.GetValueOrDefault(pair) + delta;
                if (updated <= 0) pairCounts.Remove(pair);
                else
                {
                    pairCounts[pair] = updated;
                    if (delta > 0) heap.Enqueue(pair, (updated, pair));
                }
            }
        }

        // 4. Special tokens last.
        foreach (string special in specials)
        {
            ids[special] = tokens.Count;
            tokens.Add(special);
        }
        return new TrainedBpe(tokens, merges.Select(m => (tokens[m.Left], tokens[m.Right])).ToList(), specials);
    }

    private static long Pair(int left, int right) => ((long)left << 32) | (uint)right;

    private static void Add(Dictionary<long, long> map, long key, long delta) => map[key] = map.GetValueOrDefault(key) + delta;

    private static bool Contains(int[] symbols, int left, int right)
    {
        for (int i = 0; i + 1 < symbols.Length; i++) if (symbols[i] == left && symbols[i + 1] == right) return true;
        return false;
    }

    /// <summary>Replaces each non-overlapping (left, right), scanning left to right, with <paramref name="merged"/>.</summary>
    private static int[] Apply(int[] symbols, int left, int right, int merged)
    {
        var output = new List<int>(symbols.Length);
        for (int i = 0; i < symbols.Length; i++)
        {
            if (i + 1 < symbols.Length && symbols[i] == left && symbols[i + 1] == right)
            {
                output.Add(merged);
                i++;
            }
            else output.Add(symbols[i]);
        }
        return [.. output];
    }
}
