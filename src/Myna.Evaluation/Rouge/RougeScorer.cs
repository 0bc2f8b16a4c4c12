namespace Myna.Evaluation.Rouge;

/// <summary>
/// ROUGE exactly as Google's rouge-score <c>RougeScorer.score(target, prediction)</c> computes it: ROUGE-N from
/// clipped n-gram overlap, ROUGE-L from the longest common subsequence, ROUGE-Lsum from the summary-level union
/// LCS over newline-separated sentences (as ROUGE-1.5.5 does, without double counting).
/// </summary>
public sealed class RougeScorer
{
    private readonly RougeTokenizer _tokenizer;

    /// <summary>A scorer with the given options (all four types, no stemming when null).</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public RougeScorer(RougeOptions? options = null)
    {
        Options = (options ?? new RougeOptions()).Validate();
        _tokenizer = new RougeTokenizer(Options.UseStemmer, Options.Tokenize == "zh");
    }

    /// <summary>The options in force.</summary>
    public RougeOptions Options { get; }

    /// <summary>The tokenizer in force.</summary>
    public RougeTokenizer Tokenizer => _tokenizer;

    /// <summary>Scores <paramref name="prediction"/> against <paramref name="target"/> for every type, in
    /// <see cref="RougeOptions.Types"/> order. For rougeLsum, '\n' separates sentences.</summary>
    public IReadOnlyDictionary<string, RougeScore> Score(string target, string prediction)
    {
        List<string>? targetTokens = null, predictionTokens = null;
        var result = new Dictionary<string, RougeScore>(Options.Types.Count);
        foreach (string type in Options.Types)
        {
            if (type == "rougeLsum")
            {
                result[type] = SummaryLevelLcs(Sentences(target), Sentences(prediction));
                continue;
            }
            targetTokens ??= _tokenizer.Tokenize(target);
            predictionTokens ??= _tokenizer.Tokenize(prediction);
            result[type] = type == "rougeL"
                ? ScoreLcs(targetTokens, predictionTokens)
                : ScoreNgrams(targetTokens, predictionTokens, type[5] - '0');
        }
        return result;
    }

    // rouge-score splits on "\n" and drops empty sentences (a sentence of spaces stays, with no tokens).
    private List<List<string>> Sentences(string text) =>
        [.. text.Split('\n').Where(s => s.Length > 0).Select(_tokenizer.Tokenize)];

    /// <summary>ROUGE-N: n-gram matches clipped by the count in each text, over the prediction's (precision)
    /// and the target's (recall) n-gram count, each at least 1.</summary>
    public static RougeScore ScoreNgrams(IReadOnlyList<string> target, IReadOnlyList<string> prediction, int n)
    {
        Dictionary<string, int> targetNgrams = Ngrams(target, n), predictionNgrams = Ngrams(prediction, n);
        long overlap = 0;
        foreach ((string ngram, int count) in targetNgrams)
        {
            if (predictionNgrams.TryGetValue(ngram, out int other)) overlap += Math.Min(count, other);
        }
        long targetCount = Math.Max(0, target.Count - n + 1), predictionCount = Math.Max(0, prediction.Count - n + 1);
        double precision = (double)overlap / Math.Max(predictionCount, 1);
        double recall = (double)overlap / Math.Max(targetCount, 1);
        return RougeScore.From(precision, recall);
    }

    /// <summary>ROUGE-L: the longest common subsequence over the prediction's and the target's length.</summary>
    public static RougeScore ScoreLcs(IReadOnlyList<string> target, IReadOnlyList<string> prediction)
    {
        if (target.Count == 0 || prediction.Count == 0) return RougeScore.Zero;
        int[,] table = LcsTable(target, prediction);
        int lcs = table[target.Count, prediction.Count];
        double precision = (double)lcs / prediction.Count;
        double recall = (double)lcs / target.Count;
        return RougeScore.From(precision, recall);
    }

    /// <summary>ROUGE-Lsum: for each target sentence the union of its LCS with every prediction sentence, each
    /// token counted at most as often as it occurs in both summaries (ROUGE-1.5.5's rule).</summary>
    public static RougeScore SummaryLevelLcs(IReadOnlyList<IReadOnlyList<string>> targetSentences, IReadOnlyList<IReadOnlyList<string>> predictionSentences)
    {
        if (targetSentences.Count == 0 || predictionSentences.Count == 0) return RougeScore.Zero;
        int m = targetSentences.Sum(s => s.Count), n = predictionSentences.Sum(s => s.Count);
        if (m == 0 || n == 0) return RougeScore.Zero;

        var targetCounts = Counts(targetSentences);
        var predictionCounts = Counts(predictionSentences);
        int hits = 0;
        foreach (IReadOnlyList<string> sentence in targetSentences)
        {
            foreach (string token in UnionLcs(sentence, predictionSentences))
            {
                if (predictionCounts.GetValueOrDefault(token) > 0 && targetCounts.GetValueOrDefault(token) > 0)
                {
                    hits++;
                    predictionCounts[token]--;
                    targetCounts[token]--;
                }
            }
        }
        return RougeScore.From((double)hits / n, (double)hits / m);
    }

    private static Dictionary<string, int> Counts(IEnumerable<IReadOnlyList<string>> sentences)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (IReadOnlyList<string> sentence in sentences)
        {
            foreach (string token in sentence) counts[token] = counts.GetValueOrDefault(token) + 1;
        }
        return counts;
    }

    // The tokens of `reference` at the sorted union of the positions of one LCS with each candidate sentence.
    private static IEnumerable<string> UnionLcs(IReadOnlyList<string> reference, IReadOnlyList<IReadOnlyList<string>> candidates)
    {
        var positions = new SortedSet<int>();
        foreach (IReadOnlyList<string> candidate in candidates) positions.UnionWith(LcsIndices(reference, candidate));
        return positions.Select(i => reference[i]);
    }

    /// <summary>Positions in <paramref name="reference"/> of one longest common subsequence with
    /// <paramref name="candidate"/>, read back from the end as rouge-score's <c>_backtrack_norec</c> does.</summary>
    public static List<int> LcsIndices(IReadOnlyList<string> reference, IReadOnlyList<string> candidate)
    {
        int[,] t = LcsTable(reference, candidate);
        var lcs = new List<int>();
        int i = reference.Count, j = candidate.Count;
        while (i > 0 && j > 0)
        {
            if (reference[i - 1] == candidate[j - 1])
            {
                lcs.Add(i - 1);
                i--;
                j--;
            }
            else if (t[i, j - 1] > t[i - 1, j]) j--;
            else i--;
        }
        lcs.Reverse();
        return lcs;
    }

    // (rows + 1) x (cols + 1) dynamic-programming table; entry [i, j] is the LCS length of the prefixes.
    private static int[,] LcsTable(IReadOnlyList<string> reference, IReadOnlyList<string> candidate)
    {
        int rows = reference.Count, cols = candidate.Count;
        var table = new int[rows + 1, cols + 1];
        for (int i = 1; i <= rows; i++)
        {
            for (int j = 1; j <= cols; j++)
            {
                table[i, j] = reference[i - 1] == candidate[j - 1]
                    ? table[i - 1, j - 1] + 1
                    : Math.Max(table[i - 1, j], table[i, j - 1]);
            }
        }
        return table;
    }

    private static Dictionary<string, int> Ngrams(IReadOnlyList<string> tokens, int n)
    {
        var ngrams = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= tokens.Count; i++)
        {
            // Tokens never contain spaces, so joining with one keeps n-grams apart.
            string key = n == 1 ? tokens[i] : string.Join(' ', tokens.Skip(i).Take(n));
            ngrams[key] = ngrams.GetValueOrDefault(key) + 1;
        }
        return ngrams;
    }
}
