namespace Myna.Evaluation.Rouge;

/// <summary>Precision, recall and F-measure of one ROUGE type (rouge-score's <c>Score</c>).</summary>
public readonly record struct RougeScore(double Precision, double Recall, double FMeasure)
{
    /// <summary>A score of 0 on all three.</summary>
    public static RougeScore Zero => default;

    /// <summary>A score from precision and recall, with rouge-score's F-measure.</summary>
    public static RougeScore From(double precision, double recall) => new(precision, recall, FMeasureOf(precision, recall));

    /// <summary>The harmonic mean 2PR/(P+R); 0 when both are 0 (rouge-score's <c>scoring.fmeasure</c>).</summary>
    public static double FMeasureOf(double precision, double recall) =>
        precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
}
