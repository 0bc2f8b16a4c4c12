namespace Myna.Evaluation.Bleu;

/// <summary>
/// BLEU exactly as sacreBLEU 2.x (<see cref="SacreBleuVersion"/>) computes it: <c>corpus_bleu</c>,
/// <c>sentence_bleu</c> and <c>BLEU.compute_bleu</c>, with its tokenizers, smoothing methods, several
/// references and effective order.
/// </summary>
public sealed class BleuScorer
{
    /// <summary>The sacreBLEU release whose behaviour and signature this reproduces (mjpost/sacrebleu @ f615c72).</summary>
    public const string SacreBleuVersion = "2.6.0";

    // sacreBLEU's my_log(0): a large negative stand-in for log(0), so that exp() of the mean gives 0.
    private const double LogOfZero = -9999999999;

    private readonly BleuTokenizer _tokenizer;

    /// <summary>A scorer with the given options (sacreBLEU's <c>corpus_bleu</c> defaults when null).</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public BleuScorer(BleuOptions? options = null)
    {
        Options = (options ?? new BleuOptions()).Validate();
        _tokenizer = BleuTokenizer.FromName(Options.Tokenize);
    }

    /// <summary>The options in force.</summary>
    public BleuOptions Options { get; }

    /// <summary>Lowercases (when asked) and tokenizes one segment, as sacreBLEU's <c>_preprocess_segment</c>.</summary>
    public string Preprocess(string segment)
    {
        if (Options.Lowercase) segment = PythonText.Lower(segment);
        return _tokenizer.Tokenize(PythonText.RStrip(segment));
    }

    /// <summary>Corpus BLEU of <paramref name="hypotheses"/> against one or more reference streams, each with one
    /// reference per hypothesis (sacreBLEU's <c>corpus_bleu(hyps, [refs1, refs2, ...])</c>).</summary>
    /// <exception cref="ArgumentException">No reference stream, or a stream whose length differs from the hypotheses'.</exception>
    public BleuScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams) =>
        Compute(Sum(CorpusStatistics(hypotheses, referenceStreams)));

    /// <summary>BLEU of one hypothesis against its references; with <see cref="BleuOptions.SentenceDefaults"/>
    /// this is sacreBLEU's <c>sentence_bleu</c>.</summary>
    public BleuScore SentenceScore(string hypothesis, IReadOnlyList<string> references) =>
        Compute(SegmentStatistics(hypothesis, references));

    /// <summary>The statistics of every segment (sacreBLEU's <c>_extract_corpus_statistics</c>).</summary>
    /// <exception cref="ArgumentException">No reference stream, or a stream whose length differs from the hypotheses'.</exception>
    public IReadOnlyList<BleuStatistics> CorpusStatistics(
        IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams) =>
        ReferenceStreams.Segments(hypotheses, referenceStreams, SegmentStatistics);

    /// <summary>The statistics of one segment against its references (sacreBLEU's
    /// <c>_compute_segment_statistics</c>): n-gram matches clipped by the maximum count in any reference.</summary>
    public BleuStatistics SegmentStatistics(string hypothesis, IReadOnlyList<string> references)
    {
        int maxOrder = Options.MaxNgramOrder;

        // 1. Reference n-grams: for each n-gram the largest count in any one reference.
        var refNgrams = new Dictionary<string, int>(StringComparer.Ordinal);
        var refLens = new List<int>(references.Count);
        foreach (string reference in references)
        {
            (Dictionary<string, int> ngrams, int length) = ExtractNgrams(Preprocess(reference), maxOrder);
            refLens.Add(length);
            foreach ((string ngram, int count) in ngrams)
            {
                if (!refNgrams.TryGetValue(ngram, out int have) || count > have) refNgrams[ngram] = count;
            }
        }

        // 2. Hypothesis n-grams, counted per order and clipped against the references.
        (Dictionary<string, int> hypNgrams, int hypLen) = ExtractNgrams(Preprocess(hypothesis), maxOrder);
        var correct = new long[maxOrder];
        var total = new long[maxOrder];
        foreach ((string ngram, int count) in hypNgrams)
        {
            int n = Order(ngram) - 1;
            total[n] += count;
            if (refNgrams.TryGetValue(ngram, out int refCount)) correct[n] += Math.Min(count, refCount);
        }
        return new BleuStatistics(hypLen, ClosestRefLength(hypLen, refLens), correct, total);
    }

    /// <summary>BLEU from corpus statistics with this scorer's smoothing, order and effective-order options.</summary>
    public BleuScore Compute(BleuStatistics statistics) =>
        ComputeBleu(statistics, Options.Smoothing, Options.SmoothValue, Options.EffectiveOrder, Options.MaxNgramOrder);

    /// <summary>
    /// BLEU from sufficient statistics, exactly as sacreBLEU's <c>BLEU.compute_bleu</c> (including its order of
    /// floating-point operations). <paramref name="smoothValue"/> null takes the method's default.
    /// </summary>
    /// <exception cref="ArgumentException">Statistics with fewer orders than <paramref name="maxOrder"/>.</exception>
    public static BleuScore ComputeBleu(
        BleuStatistics statistics, BleuSmoothing smoothing, double? smoothValue = null, bool effectiveOrder = false, int maxOrder = 4)
    {
        if (statistics.Correct.Length < maxOrder || statistics.Total.Length < maxOrder)
            throw new ArgumentException($"statistics for {statistics.Correct.Length} orders, but the maximum order is {maxOrder}", nameof(statistics));
        double k = smoothValue ?? smoothing.DefaultValue() ?? 0;
        long sysLen = statistics.SysLen, refLen = statistics.RefLen;
        long[] counts = statistics.Correct[..maxOrder], totals = statistics.Total[..maxOrder];

        // 1. Brevity penalty.
        double bp = 1.0;
        if (sysLen < refLen) bp = sysLen > 0 ? Math.Exp(1 - (double)refLen / sysLen) : 0.0;

        // 2. No match at any order: 0 (sacreBLEU issue #141), before any smoothing.
        var precisions = new double[maxOrder];
        if (counts.All(c => c == 0)) return new BleuScore(0.0, counts, totals, precisions, bp, sysLen, refLen);

        // 3. Precisions per order, smoothed; orders from the first without n-grams on are left at 0.
        double smoothMteval = 1.0;
        int effOrder = maxOrder;
        for (int n = 1; n <= maxOrder; n++)
        {
            double correct = counts[n - 1], total = totals[n - 1];
            if (smoothing == BleuSmoothing.AddK && n > 1)
            {
                correct += k;
                total += k;
            }
            if (total == 0) break;
            if (effectiveOrder) effOrder = n;
            if (correct == 0)
            {
                if (smoothing == BleuSmoothing.Exp)
                {
                    smoothMteval *= 2;
                    precisions[n - 1] = 100.0 / (smoothMteval * total);
                }
                else if (smoothing == BleuSmoothing.Floor)
                {
                    precisions[n - 1] = 100.0 * k / total;
                }
            }
            else
            {
                precisions[n - 1] = 100.0 * correct / total;
            }
        }

        // 4. Geometric mean of the first effOrder precisions, summed as Python's sum() does.
        var logs = new double[effOrder];
        for (int i = 0; i < effOrder; i++) logs[i] = precisions[i] == 0.0 ? LogOfZero : Math.Log(precisions[i]);
        double score = bp * Math.Exp(PythonSum(logs) / effOrder);
        return new BleuScore(score, counts, totals, precisions, bp, sysLen, refLen);
    }

    /// <summary>sacreBLEU's reproducibility signature, e.g.
    /// <c>nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.6.0</c>.</summary>
    public string Signature(int referenceCount)
    {
        string smooth = Options.Smoothing.Name();
        if (Options.EffectiveSmoothValue is double value && Options.Smoothing is BleuSmoothing.Floor or BleuSmoothing.AddK)
            smooth += $"[{value.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)}]";
        return $"nrefs:{referenceCount}|case:{(Options.Lowercase ? "lc" : "mixed")}|eff:{(Options.EffectiveOrder ? "yes" : "no")}" +
            $"|tok:{_tokenizer.Name}|smooth:{smooth}|version:{SacreBleuVersion}";
    }

    /// <summary>The element-wise sum of segment statistics.</summary>
    public BleuStatistics Sum(IEnumerable<BleuStatistics> statistics)
    {
        BleuStatistics sum = BleuStatistics.Zero(Options.MaxNgramOrder);
        foreach (BleuStatistics s in statistics) sum = sum.Add(s);
        return sum;
    }

    /// <summary>The reference length closest to the hypothesis length; on a tie, the shorter one.</summary>
    public static int ClosestRefLength(int hypLen, IReadOnlyList<int> refLens)
    {
        int closestDiff = -1, closestLen = -1;
        foreach (int refLen in refLens)
        {
            int diff = Math.Abs(hypLen - refLen);
            if (closestDiff == -1 || diff < closestDiff)
            {
                closestDiff = diff;
                closestLen = refLen;
            }
            else if (diff == closestDiff && refLen < closestLen)
            {
                closestLen = refLen;
            }
        }
        return closestLen;
    }

    // All n-grams of orders 1..maxOrder of a tokenized line, keyed by their tokens joined with single spaces
    // (tokens never contain white space, so the number of spaces gives the order), and the token count.
    private static (Dictionary<string, int> Ngrams, int Length) ExtractNgrams(string line, int maxOrder)
    {
        string[] tokens = [.. PythonText.Split(line)];
        var ngrams = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int n = 1; n <= maxOrder; n++)
        {
            for (int i = 0; i + n <= tokens.Length; i++)
            {
                string key = n == 1 ? tokens[i] : string.Join(' ', tokens, i, n);
                ngrams[key] = ngrams.TryGetValue(key, out int c) ? c + 1 : 1;
            }
        }
        return (ngrams, tokens.Length);
    }

    private static int Order(string ngram)
    {
        int spaces = 0;
        foreach (char c in ngram)
        {
            if (c == ' ') spaces++;
        }
        return spaces + 1;
    }

    // CPython 3.12+ sum() of floats: the first term added to the int 0 exactly, the rest with Neumaier's
    // compensated summation, the compensation added at the end when it is finite and non-zero.
    internal static double PythonSum(ReadOnlySpan<double> values)
    {
        if (values.Length == 0) return 0;
        double sum = values[0], compensation = 0;
        for (int i = 1; i < values.Length; i++)
        {
            double x = values[i];
            double t = sum + x;
            compensation += Math.Abs(sum) >= Math.Abs(x) ? (sum - t) + x : (x - t) + sum;
            sum = t;
        }
        if (compensation != 0 && double.IsFinite(compensation)) sum += compensation;
        return sum;
    }
}
