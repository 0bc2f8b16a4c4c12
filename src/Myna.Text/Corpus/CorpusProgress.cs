namespace Myna.Text.Corpus;

/// <summary>Progress of a long corpus job (prepare, tokenizer training, sharding), reported every few thousand
/// documents or merges.</summary>
/// <param name="Phase">What is running: "boilerplate scan", "prepare", "counting words", "merging", "tokenizing".</param>
/// <param name="Done">Work done in this phase: input bytes read, or merges learned.</param>
/// <param name="Total">Work in all for this phase (0 when unknown).</param>
/// <param name="Documents">Documents read in this phase.</param>
public readonly record struct CorpusProgress(string Phase, long Done, long Total, long Documents);
