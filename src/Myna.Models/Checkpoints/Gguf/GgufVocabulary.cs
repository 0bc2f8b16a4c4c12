namespace Myna.Models.Checkpoints.Gguf;

/// <summary>What a GGUF file says about the tokenizer (llama.cpp's "gpt2" BPE vocabulary).</summary>
/// <param name="Tokens">Token text by id, in GPT-2's byte alphabet.</param>
/// <param name="Merges">Merge rules in priority order, each "left right".</param>
/// <param name="ControlTokenIds">Ids of special tokens such as &lt;|endoftext|&gt;.</param>
/// <param name="BosTokenId">Beginning-of-sequence id, if any.</param>
/// <param name="EosTokenId">End-of-sequence id, if any.</param>
public sealed record GgufVocabulary(
    IReadOnlyList<string> Tokens, IReadOnlyList<string> Merges, IReadOnlySet<int> ControlTokenIds, int? BosTokenId, int? EosTokenId);
