namespace Myna.Evaluation.Chrf;

/// <summary>
/// How chrF is computed; every default is sacreBLEU 2.x's <c>CHRF</c> default (chrF2). Use
/// <see cref="ChrfPlusPlus"/> for chrF++ (word bigrams added).
/// </summary>
public sealed record ChrfOptions
{
    /// <summary>Highest character n-gram order; 6 is Popović's (2015) setting.</summary>
    public int CharOrder { get; init; } = 6;

    /// <summary>Highest word n-gram order: 0 is chrF, 2 is chrF++ (Popović 2017).</summary>
    public int WordOrder { get; init; }

    /// <summary>Weight of recall against precision; 2 is the WMT16 setting (recall counts twice as much).</summary>
    public int Beta { get; init; } = 2;

    /// <summary>Lowercase hypotheses and references first (Python's <c>str.lower()</c>); off: chrF is case-sensitive.</summary>
    public bool Lowercase { get; init; }

    /// <summary>Keep white space inside character n-grams; off, as sacreBLEU (and chrF++.py) remove it.</summary>
    public bool Whitespace { get; init; }

    /// <summary>chrF++.py's epsilon smoothing (every order averaged, empty ones as 1e-16) instead of sacreBLEU 2.x's
    /// default, which averages precision and recall over the orders that have n-grams on both sides.</summary>
    public bool EpsSmoothing { get; init; }

    /// <summary>chrF++: chrF with word unigrams and bigrams.</summary>
    public static ChrfOptions ChrfPlusPlus { get; } = new() { WordOrder = 2 };

    /// <summary>Character plus word orders: the number of (hyp, ref, match) triples in the statistics.</summary>
    public int TotalOrder => CharOrder + WordOrder;

    /// <summary>Checks the options; returns them.</summary>
    /// <exception cref="ArgumentException">A character order below 1, a negative word order or beta.</exception>
    public ChrfOptions Validate()
    {
        if (CharOrder < 1) throw new ArgumentException($"the character n-gram order must be at least 1, not {CharOrder}");
        if (WordOrder < 0) throw new ArgumentException($"the word n-gram order must be 0 or more, not {WordOrder}");
        if (Beta < 0) throw new ArgumentException($"beta must be 0 or more, not {Beta}");
        return this;
    }
}
