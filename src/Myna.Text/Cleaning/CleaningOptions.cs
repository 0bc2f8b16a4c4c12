namespace Myna.Text.Cleaning;

/// <summary>Cleaning and quality-filter settings. Every default lives here, with its reason.</summary>
public sealed record CleaningOptions
{
    /// <summary>Apply Unicode NFKC (full-width Latin and digits, ligatures and compatibility forms become their plain
    /// forms, so that the same word is the same bytes for dedup and the tokenizer). Note: it also turns Chinese full-width
    /// punctuation such as U+FF0C into ASCII; switch it off to keep them.</summary>
    public bool Nfkc { get; init; } = true;

    /// <summary>Documents shorter than this many characters after cleaning are dropped (a heading or a menu entry
    /// carries no sentence to learn from).</summary>
    public int MinChars { get; init; } = 20;

    /// <summary>Documents longer than this many characters are dropped (a dumped log or base64 blob, not prose).</summary>
    public int MaxChars { get; init; } = 1_000_000;

    /// <summary>Maximum symbols per word (symbols: Unicode symbol categories and markup characters such as # | { } = ~);
    /// above it the text is a table of symbols, code noise or spam. Gopher uses 0.1 for '#' and '...' alone; counting more
    /// characters needs more room.</summary>
    public double MaxSymbolWordRatio { get; init; } = 0.3;

    /// <summary>Maximum fraction of word <see cref="RepetitionNgram"/>-grams that repeat an earlier one in the same
    /// document; above it the text loops ("buy now buy now ...").</summary>
    public double MaxRepeatedNgramRatio { get; init; } = 0.3;

    /// <summary>The n of the repeated n-gram check (5: natural prose, even a whole book, rarely repeats five words in a
    /// row — "at the end of the" aside — while spam loops and templated junk repeat them constantly).</summary>
    public int RepetitionNgram { get; init; } = 5;

    /// <summary>Which languages to keep: <see cref="LanguageFilter.Auto"/> keeps every document (and labels it).</summary>
    public LanguageFilter Language { get; init; } = LanguageFilter.Auto;

    /// <summary>A line (at least <see cref="BoilerplateMinLineChars"/> long) found in this many distinct documents is
    /// boilerplate (cookie notices, copyright footers, navigation) and removed from every document.</summary>
    public int BoilerplateMinDocuments { get; init; } = 5;

    /// <summary>Shorter lines are never boilerplate: "Thank you." repeated across letters is language, not a footer.</summary>
    public int BoilerplateMinLineChars { get; init; } = 20;

    /// <summary>How many documents the boilerplate pre-pass looks at (bounds its memory on huge corpora; footers repeat
    /// often, so a sample finds them).</summary>
    public int BoilerplateSampleDocuments { get; init; } = 200_000;
}
