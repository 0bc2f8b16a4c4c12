namespace Myna.Evaluation.Rouge;

/// <summary>What <see cref="RougeScorer"/> computes; defaults as rouge-score's <c>RougeScorer</c> used by most papers.</summary>
public sealed record RougeOptions
{
    /// <summary>The types asked for by default: unigram, bigram, LCS and summary-level LCS overlap.</summary>
    public static IReadOnlyList<string> DefaultTypes { get; } = ["rouge1", "rouge2", "rougeL", "rougeLsum"];

    /// <summary>The tokenizations: rouge-score's default, and our CJK-splitting extension.</summary>
    public static IReadOnlyList<string> Tokenizations { get; } = ["default", "zh"];

    /// <summary>ROUGE types: <c>rouge1</c>..<c>rouge9</c>, <c>rougeL</c>, <c>rougeLsum</c>, in output order.</summary>
    public IReadOnlyList<string> Types { get; init; } = DefaultTypes;

    /// <summary>Stem words longer than 3 characters with NLTK's Porter stemmer; off, as in rouge-score.</summary>
    public bool UseStemmer { get; init; }

    /// <summary><c>default</c> (rouge-score's tokenizer) or <c>zh</c> (CJK characters as single tokens; our extension).</summary>
    public string Tokenize { get; init; } = "default";

    /// <summary>Checks the options; returns them.</summary>
    /// <exception cref="ArgumentException">No types, an unknown type or tokenization.</exception>
    public RougeOptions Validate()
    {
        if (Types.Count == 0) throw new ArgumentException("give at least one ROUGE type");
        foreach (string type in Types)
        {
            if (!IsValidType(type))
                throw new ArgumentException($"invalid ROUGE type '{type}'; use rouge1..rouge9, rougeL or rougeLsum");
        }
        string? duplicate = Types.GroupBy(t => t).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null) throw new ArgumentException($"ROUGE type '{duplicate}' is given twice");
        if (!Tokenizations.Contains(Tokenize))
            throw new ArgumentException($"unknown ROUGE tokenization '{Tokenize}'; use {string.Join(" or ", Tokenizations)}");
        return this;
    }

    /// <summary>Whether rouge-score accepts <paramref name="type"/>: rougeL, rougeLsum, or rouge with one digit 1-9.</summary>
    public static bool IsValidType(string type) =>
        type is "rougeL" or "rougeLsum" || (type.Length == 6 && type.StartsWith("rouge", StringComparison.Ordinal) && type[5] is >= '1' and <= '9');
}
