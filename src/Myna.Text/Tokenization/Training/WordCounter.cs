using System.Text.RegularExpressions;

namespace Myna.Text.Tokenization.Training;

/// <summary>Counts GPT-2 pre-tokens ("words": the pieces the split regex cuts text into) across a corpus, in parallel.
/// Special-token strings are cut out first so they never become part of a learned token.</summary>
public sealed class WordCounter
{
    /// <summary>Documents per work item: large enough to amortise scheduling, small enough to balance two cores.</summary>
    private const int Batch = 256;

    private static readonly Regex Split = new(Gpt2PreTokenizer.Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

    private readonly string[] _specials;

    /// <summary>Creates a counter that ignores the given special-token strings.</summary>
    public WordCounter(IEnumerable<string> specialTokens) => _specials = [.. specialTokens.Where(s => s.Length > 0)];

    /// <summary>Counts the pre-tokens of every text; <paramref name="threads"/> 0 means one per core.</summary>
    public Dictionary<string, long> Count(IEnumerable<string> texts, int threads = 0)
    {
        var total = new Dictionary<string, long>(StringComparer.Ordinal);
        var gate = new Lock();
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads > 0 ? threads : Environment.ProcessorCount };
        Parallel.ForEach(texts.Chunk(Batch), options,
            () => new Dictionary<string, long>(StringComparer.Ordinal),
            (batch, _, local) =>
            {
                foreach (string text in batch) CountInto(text, local);
                return local;
            },
            local =>
            {
                lock (gate)
                    foreach (var (word, count) in local) total[word] = total.GetValueOrDefault(word) + count;
            });
        return total;
    }

    /// <summary>Adds the pre-tokens of <paramref name="text"/> to <paramref name="counts"/>.</summary>
    public void CountInto(string text, Dictionary<string, long> counts)
    {
        var lookup = counts.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (Range part in SplitOnSpecials(text))
        {
            ReadOnlySpan<char> span = text.AsSpan(part);
            foreach (ValueMatch match in Split.EnumerateMatches(span))
            {
                ReadOnlySpan<char> word = span.Slice(match.Index, match.Length);
                if (lookup.TryGetValue(word, out long count)) lookup[word] = count + 1;
                else lookup[word] = 1;
            }
        }
    }

    private IEnumerable<Range> SplitOnSpecials(string text)
    {
        int start = 0;
        while (_specials.Length > 0)
        {
            int best = -1, length = 0;
            foreach (string special in _specials)
            {
                int at = text.IndexOf(special, start, StringComparison.Ordinal);
                if (at >= 0 && (best < 0 || at < best || at == best && special.Length > length)) (best, length) = (at, special.Length);
            }
            if (best < 0) break;
            if (best > start) yield return new Range(start, best);
            start = best + length;
        }
        if (start < text.Length) yield return new Range(start, text.Length);
    }
}
