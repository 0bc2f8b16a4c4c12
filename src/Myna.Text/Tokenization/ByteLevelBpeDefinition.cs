using System.Text;

namespace Myna.Text.Tokenization;

/// <summary>What a tokenizer file says about a byte-level BPE model, before it is built.</summary>
/// <param name="Source">The file it came from, for error messages.</param>
/// <param name="Vocabulary">Token (in GPT-2's byte alphabet) → id.</param>
/// <param name="Merges">Merge rules, highest priority first, each "left right".</param>
/// <param name="Specials">Tokens matched as whole strings when special tokens are allowed.</param>
/// <param name="SkippedOnDecode">Ids left out when decoding with skipSpecialTokens.</param>
/// <param name="SplitPattern">Pre-tokenisation pattern, or null for GPT-2's.</param>
/// <param name="Normalization">Unicode normalisation applied before encoding, if any.</param>
/// <param name="AddPrefixSpace">Whether a space is put before text that does not start with one.</param>
internal sealed record ByteLevelBpeDefinition(
    string Source,
    Dictionary<string, int> Vocabulary,
    List<string> Merges,
    List<SpecialToken> Specials,
    List<int> SkippedOnDecode,
    string? SplitPattern = null,
    NormalizationForm? Normalization = null,
    bool AddPrefixSpace = false);
