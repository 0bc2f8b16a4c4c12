namespace Myna.Evaluation.Tasks;

/// <summary>How the model did on one example.</summary>
/// <param name="Example">The example.</param>
/// <param name="Prediction">Generated text (without the prompt), trimmed.</param>
/// <param name="SentenceBleu">sacreBLEU sentence_bleu against the references (0-100).</param>
/// <param name="RougeL">rouge-score ROUGE-L F-measure against the best-matching reference.</param>
/// <param name="ExactMatch">Whether the prediction equals a reference after trimming and collapsing white space.</param>
public sealed record TaskResult(TaskExample Example, string Prediction, double SentenceBleu, double RougeL, bool ExactMatch);

/// <summary>Scores over a whole task.</summary>
/// <param name="Examples">Examples evaluated.</param>
/// <param name="CorpusBleu">sacreBLEU corpus_bleu over all predictions (0-100).</param>
/// <param name="BleuSignature">sacreBLEU-style signature of the BLEU settings.</param>
/// <param name="MeanRouge1">Mean ROUGE-1 F-measure.</param>
/// <param name="MeanRouge2">Mean ROUGE-2 F-measure.</param>
/// <param name="MeanRougeL">Mean ROUGE-L F-measure.</param>
/// <param name="ExactMatch">Share of exact matches (0-1).</param>
/// <param name="GeneratedTokens">Tokens generated in all.</param>
/// <param name="Seconds">Wall time spent generating.</param>
public sealed record TaskSummary(
    int Examples, double CorpusBleu, string BleuSignature, double MeanRouge1, double MeanRouge2, double MeanRougeL, double ExactMatch,
    long GeneratedTokens, double Seconds)
{
    /// <summary>Generation throughput.</summary>
    public double TokensPerSecond => Seconds > 0 ? GeneratedTokens / Seconds : 0;
}
