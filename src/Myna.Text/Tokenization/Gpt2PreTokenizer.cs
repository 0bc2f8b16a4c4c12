using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace Myna.Text.Tokenization;

/// <summary>
/// GPT-2's pre-tokenisation: the text is cut into words, numbers, punctuation runs and white space
/// before byte-level BPE sees it. The pattern is OpenAI's GPT-2 / r50k_base one, shared by HF's ByteLevel pre-tokenizer.
/// </summary>
public static class Gpt2PreTokenizer
{
    /// <summary>The split pattern: contractions, optional-space letters, digits, other symbols, then white space runs.</summary>
    public const string Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    private static readonly Regex SplitRegex = new(Pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant);

    /// <summary>A pre-tokenizer for Microsoft.ML.Tokenizers that knows no special tokens: those are split out by <see cref="GptTokenizer"/>.</summary>
    public static PreTokenizer Create() => new RegexPreTokenizer(SplitRegex, specialTokens: null);

    /// <summary>A pre-tokenizer for a custom split pattern read from a tokenizer.json.</summary>
    public static PreTokenizer Create(string pattern) =>
        new RegexPreTokenizer(new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant), specialTokens: null);
}
