namespace Myna.Evaluation.Bleu;

/// <summary>
/// One of sacreBLEU's tokenizers: turns a segment into space-separated tokens before n-grams are counted.
/// Each reproduces the sacreBLEU 2.x tokenizer of the same name.
/// </summary>
public abstract class BleuTokenizer
{
    /// <summary>The tokenizer used when none is named: mteval-v13a, as in sacreBLEU.</summary>
    public const string DefaultName = "13a";

    /// <summary>The names accepted by <see cref="FromName"/>, in the order help text lists them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["13a", "intl", "zh", "char", "none"];

    /// <summary>The name in sacreBLEU's signature (<c>tok:13a</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Tokenizes one segment; the result has single spaces between tokens and none at the ends
    /// (except <c>none</c>, which returns the text unchanged, as sacreBLEU does).</summary>
    public abstract string Tokenize(string line);

    /// <summary>The tokenizer called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is not one of <see cref="Names"/>.</exception>
    public static BleuTokenizer FromName(string name) => name switch
    {
        "13a" => Tokenizer13a.Instance,
        "intl" => TokenizerIntl.Instance,
        "zh" => TokenizerZh.Instance,
        "char" => TokenizerChar.Instance,
        "none" => TokenizerNone.Instance,
        _ => throw new ArgumentException($"unknown BLEU tokenizer '{name}'; use one of {string.Join(", ", Names)}", nameof(name)),
    };
}
