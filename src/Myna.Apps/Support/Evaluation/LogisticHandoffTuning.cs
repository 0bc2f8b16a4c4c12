namespace Myna.Apps.Support.Evaluation;

/// <summary>
/// Learns the hand-off on labelled (dev) questions answered with no hand-off (<see cref="HandoffTuning.Never"/>): a
/// <see cref="LogisticRegression"/> over <see cref="HandoffFeatures"/> predicts "out of scope". Each question's
/// probability comes from a model fitted on the other folds (<see cref="HeldOutFolds"/>); the threshold with the best
/// hand-off F1 over those held-out probabilities wins (ties: the higher correct-action rate, then the lower threshold),
/// and the model shipped is fitted on every question.
/// </summary>
public static class LogisticHandoffTuning
{
    /// <summary>The L2 penalty on the standardised weights: 0.1 held out better on dev than 0.01 and 1 (about a hundred questions, 22 out of scope).</summary>
    public const double L2 = 0.1;

    /// <summary>The model and threshold for <paramref name="observed"/>.</summary>
    /// <exception cref="ArgumentException">There are no observations, or none is out of scope, or all are.</exception>
    public static TunedLogisticHandoff Tune(IReadOnlyList<(SupportQuestion Question, SupportAnswer Answer)> observed, int folds = HeldOutFolds.Count)
    {
        ArgumentNullException.ThrowIfNull(observed);
        if (observed.Count == 0) throw new ArgumentException("no questions to learn the hand-off from.");
        if (observed.All(o => o.Question.IsHandoff) || observed.All(o => !o.Question.IsHandoff))
            throw new ArgumentException("learning the hand-off needs both answerable and out-of-scope questions.");
        double[][] x = [.. observed.Select(o => HandoffFeatures.Of(o.Answer.Confidence, o.Question.Lang))];
        bool[] y = [.. observed.Select(o => o.Question.IsHandoff)];
        var heldOut = new double[observed.Count];
        for (int fold = 0; fold < folds; fold++)
        {
            int[] train = [.. Enumerable.Range(0, observed.Count).Where(i => HeldOutFolds.Of(i, folds) != fold)];
            if (train.Length == 0 || train.All(i => y[i]) || train.All(i => !y[i])) continue;
            LogisticRegression model = LogisticRegression.Fit([.. train.Select(i => x[i])], [.. train.Select(i => y[i])], L2);
            for (int i = 0; i < observed.Count; i++)
                if (HeldOutFolds.Of(i, folds) == fold) heldOut[i] = model.Probability(x[i]);
        }
        (double threshold, double f1, double correct) = BestThreshold(observed, heldOut);
        return new TunedLogisticHandoff(LogisticRegression.Fit(x, y, L2), threshold, f1, correct);
    }

    private static (double Threshold, double F1, double Correct) BestThreshold(IReadOnlyList<(SupportQuestion Question, SupportAnswer Answer)> observed, double[] probability)
    {
        double[] distinct = [.. probability.Distinct().Order()];
        var candidates = new List<double> { distinct[0] };
        for (int i = 1; i < distinct.Length; i++) candidates.Add((distinct[i - 1] + distinct[i]) / 2);
        candidates.Add(1.0 + 1e-9); // never hand off on the probability alone
        (double Threshold, double F1, double Correct) best = (0, -1, -1);
        foreach (double threshold in candidates)
        {
            int handedOff = 0, right = 0, outOfScope = 0, correct = 0;
            for (int i = 0; i < observed.Count; i++)
            {
                (SupportQuestion question, SupportAnswer answer) = observed[i];
                bool handoff = answer.Sources.Count == 0 || probability[i] >= threshold;
                if (question.IsHandoff) outOfScope++;
                if (handoff) handedOff++;
                if (handoff && question.IsHandoff) right++;
                if (question.IsHandoff ? handoff : !handoff && question.Answers.Contains(answer.Sources[0].Id)) correct++;
            }
            double precision = handedOff == 0 ? 0 : (double)right / handedOff, recall = outOfScope == 0 ? 0 : (double)right / outOfScope;
            double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            double rate = (double)correct / observed.Count;
            if (f1 > best.F1 || f1 == best.F1 && rate > best.Correct) best = (threshold, f1, rate);
        }
        return best;
    }
}
