namespace Myna.Evaluation.Chrf;

/// <summary>
/// chrF (Popović 2015) and chrF++ (Popović 2017) exactly as sacreBLEU 2.x (<see cref="SacreBleuVersion"/>) computes
/// them: <c>corpus_chrf</c>, <c>sentence_chrf</c> and <c>CHRF._compute_f_score</c>, with several references (each
/// segment scored against the reference that gives it the best f-score) and statistics summed over the corpus.
/// </summary>
public sealed class ChrfScorer
{
    /// <summary>The sacreBLEU release whose behaviour and signature this reproduces (mjpost/sacrebleu @ f615c72).</summary>
    public const string SacreBleuVersion = Bleu.BleuScorer.SacreBleuVersion;

    // sacreBLEU's stand-in for the precision, recall or f-score of an order with nothing to count.
    private const double Epsilon = 1e-16;

    /// <summary>A scorer with the given options (sacreBLEU's <c>CHRF()</c> defaults, chrF2, when null).</summary>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public ChrfScorer(ChrfOptions? options = null)
    {
        Options = (options ?? new ChrfOptions()).Validate();
    }

    /// <summary>The options in force.</summary>
    public ChrfOptions Options { get; }

    /// <summary>sacreBLEU's name for this variant: <c>chrF{beta}</c> and one '+' per word order (<c>chrF2++</c>).</summary>
    public string Name => $"chrF{Options.Beta}" + new string('+', Options.WordOrder);

    /// <summary>Corpus chrF of <paramref name="hypotheses"/> against one or more reference streams, each with one
    /// reference per hypothesis (sacreBLEU's <c>corpus_chrf(hyps, [refs1, refs2, ...])</c>).</summary>
    /// <exception cref="ArgumentException">No reference stream, or a stream whose length differs from the hypotheses'.</exception>
    public ChrfScore CorpusScore(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams) =>
        Compute(Sum(CorpusStatistics(hypotheses, referenceStreams)));

    /// <summary>chrF of one hypothesis against its references (sacreBLEU's <c>sentence_chrf</c>).</summary>
    /// <exception cref="ArgumentException">No reference.</exception>
    public ChrfScore SentenceScore(string hypothesis, IReadOnlyList<string> references) =>
        Compute(SegmentStatistics(hypothesis, references));

    /// <summary>The statistics of every segment (sacreBLEU's <c>_extract_corpus_statistics</c>).</summary>
    /// <exception cref="ArgumentException">No reference stream, or a stream whose length differs from the hypotheses'.</exception>
    public IReadOnlyList<ChrfStatistics> CorpusStatistics(
        IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams) =>
        ReferenceStreams.Segments(hypotheses, referenceStreams, SegmentStatistics);

    /// <summary>
    /// The statistics of one segment (sacreBLEU's <c>_compute_segment_statistics</c>): against each reference in
    /// turn, keeping the first whose statistics give the highest f-score.
    /// </summary>
    /// <exception cref="ArgumentException">No reference.</exception>
    public ChrfStatistics SegmentStatistics(string hypothesis, IReadOnlyList<string> references)
    {
        if (references.Count == 0) throw new ArgumentException("at least one reference is needed", nameof(references));
        Dictionary<string, int>[] hypNgrams = Ngrams(Preprocess(hypothesis));
        ChrfStatistics? best = null;
        double bestF = -1.0;
        foreach (string reference in references)
        {
            Dictionary<string, int>[] refNgrams = Ngrams(Preprocess(reference));
            var values = new long[3 * hypNgrams.Length];
            for (int order = 0; order < hypNgrams.Length; order++)
                MatchStatistics(hypNgrams[order], refNgrams[order], values.AsSpan(3 * order, 3));
            var stats = new ChrfStatistics(values);
            double f = FScore(stats);
            if (f > bestF)
            {
                bestF = f;
                best = stats;
            }
        }
        return best!;
    }

    /// <summary>chrF from (corpus) statistics with this scorer's beta and smoothing.</summary>
    /// <exception cref="ArgumentException">Statistics for another number of orders.</exception>
    public ChrfScore Compute(ChrfStatistics statistics)
    {
        if (statistics.Orders != Options.TotalOrder)
            throw new ArgumentException($"statistics for {statistics.Orders} orders, but this scorer uses {Options.TotalOrder}", nameof(statistics));
        return new ChrfScore(FScore(statistics), Name, statistics);
    }

    /// <summary>
    /// The f-score of statistics on the 0..100 scale, exactly as sacreBLEU's <c>CHRF._compute_f_score</c> (including
    /// its order of floating-point operations): by default the F-beta of the precision and recall averaged over the
    /// orders with n-grams on both sides; with <see cref="ChrfOptions.EpsSmoothing"/> the mean of per-order F-betas.
    /// </summary>
    public double FScore(ChrfStatistics statistics) => FScore(statistics.Values, Options.Beta, Options.EpsSmoothing);

    /// <summary>The f-score of flattened (hyp, ref, match) statistics; see <see cref="FScore(ChrfStatistics)"/>.</summary>
    public static double FScore(ReadOnlySpan<long> statistics, int beta, bool epsSmoothing)
    {
        Span<double> values = statistics.Length <= 256 ? stackalloc double[statistics.Length] : new double[statistics.Length];
        for (int i = 0; i < values.Length; i++) values[i] = statistics[i];
        return FScore(values, beta, epsSmoothing, singlePrecisionRatios: false);
    }

    /// <summary>
    /// The f-score of a bootstrap resample's statistics as sacreBLEU's paired test computes it: from a float32 NumPy
    /// array, where (under NumPy 1.x promotion) each precision and recall is a float32 division and everything after
    /// it float64.
    /// </summary>
    public static double ResampleFScore(ReadOnlySpan<float> statistics, int beta, bool epsSmoothing)
    {
        Span<double> values = statistics.Length <= 256 ? stackalloc double[statistics.Length] : new double[statistics.Length];
        for (int i = 0; i < values.Length; i++) values[i] = statistics[i];
        return FScore(values, beta, epsSmoothing, singlePrecisionRatios: true);
    }

    // The counts are whole numbers held exactly in doubles; singlePrecisionRatios rounds each precision and recall
    // as a float32 division would.
    private static double FScore(ReadOnlySpan<double> statistics, int beta, bool epsSmoothing, bool singlePrecisionRatios)
    {
        int orders = statistics.Length / 3;
        double factor = beta * beta;
        double score = 0.0, averagePrecision = 0.0, averageRecall = 0.0;
        int effectiveOrder = 0;
        for (int i = 0; i < orders; i++)
        {
            double hyp = statistics[3 * i], reference = statistics[3 * i + 1], match = statistics[3 * i + 2];

            // 1. chrF++.py's epsilon-smoothed per-order F-beta (also Moses' and NLTK's).
            double precision = hyp > 0 ? Ratio(match, hyp, singlePrecisionRatios) : Epsilon;
            double recall = reference > 0 ? Ratio(match, reference, singlePrecisionRatios) : Epsilon;
            double denominator = factor * precision + recall;
            score += denominator > 0 ? (1 + factor) * precision * recall / denominator : Epsilon;

            // 2. sacreBLEU's effective order: only orders with n-grams on both sides are averaged.
            if (hyp > 0 && reference > 0)
            {
                averagePrecision += precision;
                averageRecall += recall;
                effectiveOrder++;
            }
        }
        if (epsSmoothing) return 100 * score / orders;

        if (effectiveOrder == 0)
        {
            averagePrecision = averageRecall = 0.0;
        }
        else
        {
            averagePrecision /= effectiveOrder;
            averageRecall /= effectiveOrder;
        }
        if (averagePrecision + averageRecall == 0) return 0.0;
        double f = (1 + factor) * averagePrecision * averageRecall;
        f /= factor * averagePrecision + averageRecall;
        return 100 * f;
    }

    private static double Ratio(double numerator, double denominator, bool singlePrecision) =>
        singlePrecision ? (float)numerator / (float)denominator : numerator / denominator;

    /// <summary>sacreBLEU's reproducibility signature, e.g. <c>nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.6.0</c>
    /// (<c>eff:yes</c> is the effective-order average, <c>eff:no</c> epsilon smoothing).</summary>
    public string Signature(int referenceCount) =>
        $"nrefs:{referenceCount}|case:{(Options.Lowercase ? "lc" : "mixed")}|eff:{(Options.EpsSmoothing ? "no" : "yes")}" +
        $"|nc:{Options.CharOrder}|nw:{Options.WordOrder}|space:{(Options.Whitespace ? "yes" : "no")}|version:{SacreBleuVersion}";

    /// <summary>The element-wise sum of segment statistics.</summary>
    public ChrfStatistics Sum(IEnumerable<ChrfStatistics> statistics)
    {
        ChrfStatistics sum = ChrfStatistics.Zero(Options.TotalOrder);
        foreach (ChrfStatistics s in statistics) sum = sum.Add(s);
        return sum;
    }

    private string Preprocess(string segment) => Options.Lowercase ? PythonText.Lower(segment) : segment;

    // Character n-grams of orders 1..nc, then (chrF++) word n-grams of orders 1..nw over the punctuation-split words.
    private Dictionary<string, int>[] Ngrams(string segment)
    {
        Dictionary<string, int>[] chars = ChrfNgrams.CharNgrams(segment, Options.CharOrder, Options.Whitespace);
        if (Options.WordOrder == 0) return chars;
        List<string> words = ChrfNgrams.SplitPunctuation(segment);
        var all = new Dictionary<string, int>[Options.TotalOrder];
        chars.CopyTo(all, 0);
        for (int n = 1; n <= Options.WordOrder; n++) all[Options.CharOrder + n - 1] = ChrfNgrams.WordNgrams(words, n);
        return all;
    }

    // sacreBLEU's _get_match_statistics: [hyp, ref, match], the hypothesis count zeroed when the reference has no
    // n-gram of this order ("don't count hits if no reference exists for that n-gram").
    private static void MatchStatistics(Dictionary<string, int> hyp, Dictionary<string, int> reference, Span<long> into)
    {
        long hypCount = 0, matchCount = 0, refCount = 0;
        foreach ((string ngram, int count) in hyp)
        {
            hypCount += count;
            if (reference.TryGetValue(ngram, out int refFor)) matchCount += Math.Min(count, refFor);
        }
        foreach (int count in reference.Values) refCount += count;
        into[0] = reference.Count > 0 ? hypCount : 0;
        into[1] = refCount;
        into[2] = matchCount;
    }
}
