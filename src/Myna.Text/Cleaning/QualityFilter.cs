namespace Myna.Text.Cleaning;

/// <summary>Decides whether a cleaned document is worth training on: length, symbol-to-word ratio, repeated n-grams,
/// language — and U+FFFD (undecodable bytes). Returns the first failing reason, cheapest checks first.</summary>
public sealed class QualityFilter(CleaningOptions options)
{
    /// <summary>Returns null when <paramref name="text"/> passes every filter, else why it fails;
    /// <paramref name="language"/> is the detected language ("en", "zh" or "other").</summary>
    public DropReason? Check(string text, out string language)
    {
        language = "other";
        if (text.Length == 0) return DropReason.Empty;
        if (text.Contains('\uFFFD', StringComparison.Ordinal)) return DropReason.InvalidEncoding;
        if (text.Length < options.MinChars) return DropReason.TooShort;
        if (text.Length > options.MaxChars) return DropReason.TooLong;

        List<ulong> words = WordUnits.Hashes(text);
        int symbols = 0;
        foreach (char c in text) if (WordUnits.IsSymbol(c)) symbols++;
        if (symbols > options.MaxSymbolWordRatio * Math.Max(1, words.Count)) return DropReason.SymbolRatio;

        if (RepeatedNgramRatio(words, options.RepetitionNgram) > options.MaxRepeatedNgramRatio) return DropReason.RepeatedNgrams;

        language = LanguageId.Detect(text);
        bool wanted = options.Language switch
        {
            LanguageFilter.English => language == "en",
            LanguageFilter.Chinese => language == "zh",
            _ => true,
        };
        return wanted ? null : DropReason.Language;
    }

    /// <summary>Fraction of the word n-grams (given as unit hashes, <see cref="WordUnits.Hashes"/>) that already
    /// occurred earlier in the same text (0 for a text with fewer than n words).</summary>
    public static double RepeatedNgramRatio(List<ulong> words, int n)
    {
        int total = words.Count - n + 1;
        if (total <= 1) return 0;
        var seen = new HashSet<ulong>(total);
        int repeated = 0;
        for (int i = 0; i < total; i++)
            if (!seen.Add(WordUnits.NgramHash(words, i, n))) repeated++;
        return (double)repeated / total;
    }
}
