using Myna.Text.Corpus;

namespace Myna.Text.Tokenization.Training;

/// <summary>Summary of a <c>myna tokenizer train</c> run.</summary>
/// <param name="Documents">Documents read.</param>
/// <param name="DistinctWords">Distinct pre-tokens counted.</param>
/// <param name="VocabSize">Ids in the trained vocabulary.</param>
/// <param name="Merges">Merges learned.</param>
/// <param name="Seconds">Wall-clock time of counting plus training.</param>
/// <param name="Skipped">Files or records the reader could not use.</param>
public sealed record TokenizerTrainingSummary(long Documents, int DistinctWords, int VocabSize, int Merges, double Seconds, IReadOnlyList<SkippedInput> Skipped);
