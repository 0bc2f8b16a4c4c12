namespace Myna.Text.Cleaning;

/// <summary>Why a document did not reach the output. Every read document is either kept or has exactly one of these.</summary>
public enum DropReason
{
    /// <summary>Nothing left after cleaning and boilerplate removal.</summary>
    Empty,
    /// <summary>Fewer characters than <see cref="CleaningOptions.MinChars"/>.</summary>
    TooShort,
    /// <summary>More characters than <see cref="CleaningOptions.MaxChars"/>.</summary>
    TooLong,
    /// <summary>More symbols per word than <see cref="CleaningOptions.MaxSymbolWordRatio"/>.</summary>
    SymbolRatio,
    /// <summary>More repeated n-grams than <see cref="CleaningOptions.MaxRepeatedNgramRatio"/>.</summary>
    RepeatedNgrams,
    /// <summary>Not the language asked for with <c>--lang</c>.</summary>
    Language,
    /// <summary>Same normalised text as an earlier document.</summary>
    ExactDuplicate,
    /// <summary>Estimated Jaccard similarity with an earlier document at or above the threshold.</summary>
    NearDuplicate,
    /// <summary>Holds U+FFFD: bytes that were not valid in the file's encoding (or text damaged before it reached us).</summary>
    InvalidEncoding,
    /// <summary>The last document before its file broke off (truncated or corrupt): it may end mid-sentence.</summary>
    Truncated,
}

/// <summary>Names for <see cref="DropReason"/> as they appear in reports.</summary>
public static class DropReasons
{
    /// <summary>The snake_case name used in report.json and the summary table.</summary>
    public static string Name(this DropReason reason) => reason switch
    {
        DropReason.Empty => "empty",
        DropReason.TooShort => "too_short",
        DropReason.TooLong => "too_long",
        DropReason.SymbolRatio => "symbol_ratio",
        DropReason.RepeatedNgrams => "repeated_ngrams",
        DropReason.Language => "language",
        DropReason.ExactDuplicate => "exact_duplicate",
        DropReason.NearDuplicate => "near_duplicate",
        DropReason.InvalidEncoding => "invalid_encoding",
        DropReason.Truncated => "truncated",
        _ => reason.ToString(),
    };
}
