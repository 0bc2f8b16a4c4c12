namespace Myna.Evaluation.Bleu;

/// <summary>
/// How BLEU is computed; every default is sacreBLEU 2.x's <c>corpus_bleu</c> default. Use
/// <see cref="SentenceDefaults"/> for <c>sentence_bleu</c>'s.
/// </summary>
public sealed record BleuOptions
{
    /// <summary>The tokenizer's name (<see cref="BleuTokenizer.Names"/>); mteval-v13a is WMT's standard.</summary>
    public string Tokenize { get; init; } = BleuTokenizer.DefaultName;

    /// <summary>Lowercase hypotheses and references first (Python's <c>str.lower()</c>); off: BLEU is case-sensitive.</summary>
    public bool Lowercase { get; init; }

    /// <summary>Smoothing for orders without matches; <c>exp</c> is what mteval-v13a does.</summary>
    public BleuSmoothing Smoothing { get; init; } = BleuSmoothing.Exp;

    /// <summary>The value for <c>floor</c> and <c>add-k</c>; null takes the method's default (0.1, 1).</summary>
    public double? SmoothValue { get; init; }

    /// <summary>Highest n-gram order; 4 is the BLEU of Papineni et al.</summary>
    public int MaxNgramOrder { get; init; } = 4;

    /// <summary>Leave out orders that have no n-grams at all (short sentences); off at corpus level, as in
    /// <c>corpus_bleu</c>.</summary>
    public bool EffectiveOrder { get; init; }

    /// <summary>The options of sacreBLEU's <c>sentence_bleu</c>: as corpus BLEU but with effective order on.</summary>
    public static BleuOptions SentenceDefaults { get; } = new() { EffectiveOrder = true };

    /// <summary>The smoothing value in force: <see cref="SmoothValue"/> or the method's default.</summary>
    public double? EffectiveSmoothValue => SmoothValue ?? Smoothing.DefaultValue();

    /// <summary>Checks the options; returns them.</summary>
    /// <exception cref="ArgumentException">An unknown tokenizer or an order below 1.</exception>
    public BleuOptions Validate()
    {
        BleuTokenizer.FromName(Tokenize);
        if (MaxNgramOrder < 1)
            throw new ArgumentException($"the maximum n-gram order must be at least 1, not {MaxNgramOrder}");
        if (SmoothValue is double v && (double.IsNaN(v) || double.IsInfinity(v)))
            throw new ArgumentException($"the smoothing value must be a finite number, not {v}");
        return this;
    }
}
