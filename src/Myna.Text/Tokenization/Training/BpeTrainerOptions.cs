namespace Myna.Text.Tokenization.Training;

/// <summary>Byte-level BPE training settings; each default here, with its reason.</summary>
public sealed record BpeTrainerOptions
{
    /// <summary>Final vocabulary size: 256 byte tokens + learned merges + special tokens.</summary>
    public required int VocabSize { get; init; }

    /// <summary>A pair seen fewer times than this is never merged (2: a pair seen once is noise, not a unit of text).</summary>
    public long MinFrequency { get; init; } = 2;

    /// <summary>Special tokens, given ids after the learned ones in this order. <c>&lt;|endoftext|&gt;</c> is always one of
    /// them: token shards separate documents with it.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = [GptTokenizer.EndOfText];

    /// <summary>Threads for pre-tokenisation counting (0: one per core).</summary>
    public int Threads { get; init; }
}
